--[[
  True while an order of the seat's holder is being written: beginCheckout marked the seat
  with its checkout deadline and neither markSold nor abortCheckout has ended it yet. A mark
  whose deadline has passed no longer counts (the process that set it may have died).
]]
local function inCheckout(checkoutKey, seatId, now)
  local deadline = rcall('HGET', checkoutKey, seatId)
  return deadline ~= false and tonumber(deadline) > now
end
