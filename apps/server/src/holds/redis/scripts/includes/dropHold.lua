--[[
  Removes the seat's hold, whoever owns it, its checkout mark and its extension mark
  ("+seatId", extendHolds-7.lua). Returns true when there was one. `hold` names the keys of a
  hold: { holder = hash, exp = zset, checkout = hash }.
]]
local function dropHold(hold, seatId)
  rcall('ZREM', hold.exp, seatId)
  rcall('HDEL', hold.checkout, seatId, '+' .. seatId)
  return rcall('HDEL', hold.holder, seatId) == 1
end
