--[[
  The attempt (the order's idempotency key) whose order is being written for the seat, or nil.
  beginCheckout marks the seat "<deadline ms> <attempt>"; markSold, abortCheckout and any drop
  of the hold clear the mark. A mark whose deadline has passed no longer counts (the process
  that set it may have died).
]]
local function checkoutOf(checkoutKey, seatId, now)
  local mark = rcall('HGET', checkoutKey, seatId)
  if not mark then
    return nil
  end
  local deadline, attempt = string.match(mark, '^(%d+) (.*)$')
  if tonumber(deadline) > now then
    return attempt
  end
  return nil
end
