--[[
  Releases the seat's hold when its expiry is <= now, recording an AVAILABLE change.
  Returns true when it released the hold.
]]
-- @include dropHold
local function releaseIfExpired(hold, seatId, now, changes)
  local expiresAt = rcall('ZSCORE', hold.exp, seatId)
  if expiresAt and tonumber(expiresAt) <= now then
    dropHold(hold, seatId)
    changes[#changes + 1] = { seatId, 'AVAILABLE' }
    return true
  end
  return false
end
