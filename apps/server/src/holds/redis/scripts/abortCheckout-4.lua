--[[
  Checkout fallback: the seats still held by the session get their expiry from before
  beginCheckout back and are no longer in checkout; seats sold or held by someone else
  meanwhile are left alone.

  Input:
    KEYS[1] ready marker
    KEYS[2] holder hash (seatId -> sessionId)
    KEYS[3] expiry zset (seatId -> expiresAt ms)
    KEYS[4] checkout hash (seatId -> checkout deadline ms)
    ARGV[1] sessionId
    ARGV[2..] pairs: seatId, previous expiresAt (a repeated seat counts at its first pair)

  Output:
    {0, changed}   number of seats put back
    {-1}           NOT_READY

  Publishes nothing: the seats stay HELD.
]]
local rcall = redis.call
local readyKey, holderKey, expKey, checkoutKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local sessionId = ARGV[1]

-- @include codes
-- @include isReady

if not isReady(readyKey) then
  return { Code.NOT_READY }
end

local changed, seen = 0, {}
for i = 2, #ARGV - 1, 2 do
  local seatId, previous = ARGV[i], ARGV[i + 1]
  local first = not seen[seatId]
  seen[seatId] = true
  if first and rcall('HGET', holderKey, seatId) == sessionId then
    rcall('ZADD', expKey, 'XX', previous, seatId)
    rcall('HDEL', checkoutKey, seatId)
    changed = changed + 1
  end
end
return { Code.OK, changed }
