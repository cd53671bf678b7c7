--[[
  Releases a live hold of a session.

  Input:
    KEYS[1] ready marker
    KEYS[2] seq counter
    KEYS[3] holder hash (seatId -> sessionId)
    KEYS[4] expiry zset (seatId -> expiresAt ms)
    KEYS[5] the session's set of held seats
    KEYS[6] change channel
    KEYS[7] checkout hash (seatId -> checkout deadline ms)
    ARGV[1] sessionId
    ARGV[2] seatId

  Output:
    {0}    released (one AVAILABLE change published)
    {-1}   NOT_READY
    {-4}   HOLD_NOT_FOUND: sold, available, or held but expired (then released first, published)
    {-5}   NOT_OWNER
    {-8}   CHECKOUT_IN_PROGRESS: an order of this session is being written for the seat; the
           seat stays held (else the order could sell a seat another session took meanwhile)
]]
local rcall = redis.call
local readyKey, seqKey, holderKey, expKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local sessionKey, channel, checkoutKey = KEYS[5], KEYS[6], KEYS[7]
local hold = { holder = holderKey, exp = expKey, checkout = checkoutKey }
local sessionId, seatId = ARGV[1], ARGV[2]

-- @include codes
-- @include isReady
-- @include nowMs
-- @include releaseIfExpired
-- @include dropHold
-- @include checkoutOf
-- @include publishChanges

if not isReady(readyKey) then
  return { Code.NOT_READY }
end
local now = nowMs()
local changes = {}

local owner = rcall('HGET', holderKey, seatId)
if not owner then
  return { Code.HOLD_NOT_FOUND }
end
if releaseIfExpired(hold, seatId, now, changes) then
  if owner == sessionId then
    rcall('SREM', sessionKey, seatId)
  end
  publishChanges(seqKey, channel, now, changes)
  return { Code.HOLD_NOT_FOUND }
end
if owner ~= sessionId then
  return { Code.NOT_OWNER }
end
if checkoutOf(checkoutKey, seatId, now) then
  return { Code.CHECKOUT_IN_PROGRESS }
end

dropHold(hold, seatId)
rcall('SREM', sessionKey, seatId)
changes[1] = { seatId, 'AVAILABLE' }
publishChanges(seqKey, channel, now, changes)
return { Code.OK }
