--[[
  Checkout step 1: checks that every seat is held by the session, not expired and not in
  another attempt's checkout (a retry of the same order, with its idempotency key, may take
  its earlier try's over), then pushes each expiry to at least now + windowMs so no hold can lapse
  while the order is written, and marks each seat in checkout until then: its owner cannot
  release it meanwhile (release-7.lua), so the sale that may follow never takes a seat that
  was let go and held by someone else.

  Input:
    KEYS[1] ready marker
    KEYS[2] holder hash (seatId -> sessionId)
    KEYS[3] expiry zset (seatId -> expiresAt ms)
    KEYS[4] sold set
    KEYS[5] the session's set of held seats (its expiry follows the pushed holds)
    KEYS[6] checkout hash (seatId -> checkout deadline ms)
    ARGV[1] sessionId
    ARGV[2] windowMs
    ARGV[3] attempt: the order's idempotency key
    ARGV[4..] seat ids (a duplicate counts once, at its first occurrence)

  Output:
    {0, seatId, previousExpiresAt, ...}   each seat with its expiry before the push
    {-1}                                  NOT_READY
    {-6, {seatId...}}                     SEAT_SOLD: the sold ones
    {-7, {seatId...}}                     SEAT_NOT_HELD: not held by the session, or expired
    {-8, {seatId...}}                     CHECKOUT_IN_PROGRESS: another order of the session
                                          (another attempt) is being written for these seats

  Publishes nothing: the seats stay HELD.
]]
local rcall = redis.call
local readyKey, holderKey, expKey, soldKey, sessionKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local checkoutKey = KEYS[6]
local sessionId = ARGV[1]
local windowMs = tonumber(ARGV[2])
local attempt = ARGV[3]

-- @include codes
-- @include distinctArgs
-- @include isReady
-- @include nowMs
-- @include keepHintAlive
-- @include checkoutOf

if not isReady(readyKey) then
  return { Code.NOT_READY }
end
local now = nowMs()
local seats = distinctArgs(4)

local sold, notHeld, busy = {}, {}, {}
for _, seatId in ipairs(seats) do
  if rcall('SISMEMBER', soldKey, seatId) == 1 then
    sold[#sold + 1] = seatId
  elseif rcall('HGET', holderKey, seatId) ~= sessionId then
    notHeld[#notHeld + 1] = seatId
  elseif tonumber(rcall('ZSCORE', expKey, seatId)) <= now then
    notHeld[#notHeld + 1] = seatId
  else
    local writing = checkoutOf(checkoutKey, seatId, now)
    if writing and writing ~= attempt then
      busy[#busy + 1] = seatId
    end
  end
end
if #sold > 0 then
  return { Code.SEAT_SOLD, sold }
end
if #notHeld > 0 then
  return { Code.SEAT_NOT_HELD, notHeld }
end
if #busy > 0 then
  return { Code.CHECKOUT_IN_PROGRESS, busy }
end

local pushedTo = now + windowMs
local reply = { Code.OK }
for _, seatId in ipairs(seats) do
  local previous = tonumber(rcall('ZSCORE', expKey, seatId))
  reply[#reply + 1] = seatId
  reply[#reply + 1] = previous
  if previous < pushedTo then
    rcall('ZADD', expKey, pushedTo, seatId)
  end
  rcall('HSET', checkoutKey, seatId, string.format('%d %s', pushedTo, attempt))
end
keepHintAlive(sessionKey, pushedTo)
return reply
