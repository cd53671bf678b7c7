// Reply codes of the Lua scripts, the first element of every reply. Mirrors
// scripts/includes/codes.lua (a test keeps the two in step).

export enum ScriptCode {
  OK = 0,
  NOT_READY = -1,
  SEAT_UNAVAILABLE = -2,
  HOLD_LIMIT = -3,
  HOLD_NOT_FOUND = -4,
  NOT_OWNER = -5,
  SEAT_SOLD = -6,
  SEAT_NOT_HELD = -7,
  CHECKOUT_IN_PROGRESS = -8,
  ADDRESS_LIMIT = -9,
  ALREADY_EXTENDED = -10,
  SINGLE_SEAT = -11,
  QUEUE_ADMISSION_REQUIRED = -12,
}
