--[[
  More time, once per hold: each live hold of the session that is not in checkout and was not
  extended before gets expiresAt = max(expiresAt, now + ttlMs) and is marked extended. The mark
  lives in the checkout hash under "+<seatId>" (a seat id never holds '+'), so that dropHold
  clears it with the hold and a later hold of the seat starts unextended.

  Input:
    KEYS[1] ready marker
    KEYS[2] holder hash (seatId -> sessionId)
    KEYS[3] expiry zset (seatId -> expiresAt ms)
    KEYS[4] the session's set of held seats (its expiry follows the extended holds)
    KEYS[5] checkout hash (seatId -> checkout deadline ms; "+seatId" -> extension mark)
    KEYS[6] placed-from hash (seatId -> client address the hold was placed from)
    KEYS[7] the set of seats held from the request's client address (kept alive as long as the
            extended holds placed from that address; one placed from another address keeps its
            set's earlier expiry, so it may stop counting towards that address's cap sooner)
    ARGV[1] sessionId
    ARGV[2] ttlMs
    ARGV[3] the request's client address ('' when none)

  Output:
    {0, seatId, expiresAt, ...}   every live hold of the session, sorted by seat id, after the call
    {-1}                          NOT_READY
    {-4}                          HOLD_NOT_FOUND: the session has no live hold
    {-8, {seatId...}}             CHECKOUT_IN_PROGRESS: every live hold is in checkout
    {-10}                         ALREADY_EXTENDED: every live hold outside checkout already was

  Publishes nothing: the seats stay HELD.
]]
local rcall = redis.call
local readyKey, holderKey, expKey, sessionKey, checkoutKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local placedFromKey, addressKey = KEYS[6], KEYS[7]
local sessionId = ARGV[1]
local ttlMs = tonumber(ARGV[2])
local address = ARGV[3]

-- @include codes
-- @include isReady
-- @include nowMs
-- @include ownedSeats
-- @include checkoutOf
-- @include keepHintAlive

if not isReady(readyKey) then
  return { Code.NOT_READY }
end
local now = nowMs()

local live, fresh, inCheckout = {}, {}, 0
for _, seatId in ipairs(ownedSeats(sessionKey, holderKey, sessionId)) do
  if tonumber(rcall('ZSCORE', expKey, seatId)) > now then
    live[#live + 1] = seatId
    if checkoutOf(checkoutKey, seatId, now) then
      inCheckout = inCheckout + 1
    elseif rcall('HEXISTS', checkoutKey, '+' .. seatId) == 0 then
      fresh[#fresh + 1] = seatId
    end
  end
end
if #live == 0 then
  return { Code.HOLD_NOT_FOUND }
end
if inCheckout == #live then
  return { Code.CHECKOUT_IN_PROGRESS, live }
end
if #fresh == 0 then
  return { Code.ALREADY_EXTENDED }
end

local extendedTo = now + ttlMs
local fromAddress = false
for _, seatId in ipairs(fresh) do
  if tonumber(rcall('ZSCORE', expKey, seatId)) < extendedTo then
    rcall('ZADD', expKey, extendedTo, seatId)
  end
  rcall('HSET', checkoutKey, '+' .. seatId, '1')
  if address ~= '' and rcall('HGET', placedFromKey, seatId) == address then
    fromAddress = true
  end
end
keepHintAlive(sessionKey, extendedTo)
if fromAddress then
  keepHintAlive(addressKey, extendedTo)
end

local reply = { Code.OK }
for _, seatId in ipairs(live) do
  reply[#reply + 1] = seatId
  reply[#reply + 1] = tonumber(rcall('ZSCORE', expKey, seatId))
end
return reply
