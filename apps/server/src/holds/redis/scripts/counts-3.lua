--[[
  SOLD and HELD seat counts of one event (held includes expired holds not swept yet).

  Input:
    KEYS[1] ready marker
    KEYS[2] holder hash (seatId -> sessionId)
    KEYS[3] sold set

  Output:
    {0, sold, held}
    {-1}   NOT_READY
]]
local rcall = redis.call
local readyKey, holderKey, soldKey = KEYS[1], KEYS[2], KEYS[3]

-- @include codes
-- @include isReady

if not isReady(readyKey) then
  return { Code.NOT_READY }
end
return { Code.OK, rcall('SCARD', soldKey), rcall('HLEN', holderKey) }
