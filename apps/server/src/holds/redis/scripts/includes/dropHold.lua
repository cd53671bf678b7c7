--[[
  Removes the seat's hold, whoever owns it. Returns true when there was one.
]]
local function dropHold(holderKey, expKey, seatId)
  rcall('ZREM', expKey, seatId)
  return rcall('HDEL', holderKey, seatId) == 1
end
