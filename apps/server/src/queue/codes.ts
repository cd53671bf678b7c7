// Reply codes of the queue scripts, the first element of every reply. Mirrors
// scripts/includes/codes.lua (a test keeps the two in step).

export enum QueueCode {
  OK = 0,
  QUEUE_NOT_FOUND = -1,
  QUEUE_NOT_OPEN = -2,
  QUEUE_STARTED = -3,
  QUEUE_NOT_JOINED = -4,
  QUEUE_NOT_DRAWN = -5,
  DRAW_NOT_DUE = -6,
  DRAW_STALE = -7,
  PROOF_REQUIRED = -8,
  RATE_LIMITED = -9,
}
