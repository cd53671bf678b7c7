--[[
  The waiting list's hand-over: seats SOLD to a buyer (a cancellation) or HELD by a session whose
  offer ran out go straight to the next entry's session as a hold, or become AVAILABLE when no
  entry takes them. One call, so no other buyer can take a seat in between: a seat is never
  AVAILABLE on its way from one owner to the next. Seats that came free otherwise (a hold that
  lapsed or was released) are taken 'free': only while nobody holds them and they are not sold.

  Input:
    KEYS[1] ready marker
    KEYS[2] seq counter
    KEYS[3] holder hash (seatId -> sessionId)
    KEYS[4] expiry zset (seatId -> expiresAt ms)
    KEYS[5] sold set
    KEYS[6] change channel
    KEYS[7] checkout hash (seatId -> checkout deadline ms)
    KEYS[8] buyer hash (seatId -> sessionId the seat was sold to)
    KEYS[9] bought hash (sessionId -> seats sold to it)
    KEYS[10] hold address hash (seatId -> client address the hold was placed from)
    KEYS[11] the receiving session's set of held seats
    ARGV[1] 'sold', 'held' or 'free': where the seats must be
    ARGV[2] the session they are SOLD to or HELD by ('' for 'free')
    ARGV[3] the receiving session, or '' for AVAILABLE
    ARGV[4] ttlMs of the new hold
    ARGV[5..] seat ids (distinct)

  Output:
    {0, expiresAt, seatId...}   the seats that moved (those not where ARGV[1] says stay as they are)
    {-1}                        NOT_READY
]]
local rcall = redis.call
local readyKey, seqKey, holderKey, expKey, soldKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local channel, checkoutKey, buyerKey, boughtKey = KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local placedFromKey, sessionKey = KEYS[10], KEYS[11]
local hold = { holder = holderKey, exp = expKey, checkout = checkoutKey }
local kind, from, to, ttl = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])

-- @include codes
-- @include isReady
-- @include nowMs
-- @include checkoutOf
-- @include dropHold
-- @include publishChanges

if not isReady(readyKey) then
  return { Code.NOT_READY }
end
local now = nowMs()
local expiresAt = now + ttl
if kind == 'free' and to == '' then
  return { Code.OK, expiresAt } -- free seats with nobody to receive them stay as they are
end

local function takeSale(seatId)
  if rcall('HGET', buyerKey, seatId) ~= from or rcall('SREM', soldKey, seatId) == 0 then
    return false
  end
  rcall('HDEL', buyerKey, seatId)
  if rcall('HINCRBY', boughtKey, from, -1) <= 0 then
    rcall('HDEL', boughtKey, from)
  end
  return true
end

local function takeHold(seatId)
  if rcall('HGET', holderKey, seatId) ~= from or checkoutOf(checkoutKey, seatId, now) then
    return false
  end
  dropHold(hold, seatId)
  return true
end

-- A hold that has expired but is not swept yet counts as free, as it does for any hold; it is
-- dropped here and the seat goes on to its new holder as one HELD change.
local function takeFree(seatId)
  if rcall('SISMEMBER', soldKey, seatId) == 1 then
    return false
  end
  local heldUntil = rcall('ZSCORE', expKey, seatId)
  if heldUntil and tonumber(heldUntil) > now then
    return false
  end
  dropHold(hold, seatId)
  return true
end

local moved, changes = { Code.OK, expiresAt }, {}
for i = 5, #ARGV do
  local seatId = ARGV[i]
  local taken
  if kind == 'sold' then
    taken = takeSale(seatId)
  elseif kind == 'held' then
    taken = takeHold(seatId)
  else
    taken = takeFree(seatId)
  end
  if taken then
    moved[#moved + 1] = seatId
    rcall('HDEL', placedFromKey, seatId)
    if to == '' then
      changes[#changes + 1] = { seatId, 'AVAILABLE' }
    else
      rcall('HSET', holderKey, seatId, to)
      rcall('ZADD', expKey, expiresAt, seatId)
      rcall('SADD', sessionKey, seatId)
      changes[#changes + 1] = { seatId, 'HELD' }
    end
  end
end
publishChanges(seqKey, channel, now, changes)
return moved
