--[[
  Removes the seat's hold, whoever owns it, and its checkout mark. Returns true when there
  was one. `hold` names the keys of a hold: { holder = hash, exp = zset, checkout = hash }.
]]
local function dropHold(hold, seatId)
  rcall('ZREM', hold.exp, seatId)
  rcall('HDEL', hold.checkout, seatId)
  return rcall('HDEL', hold.holder, seatId) == 1
end
