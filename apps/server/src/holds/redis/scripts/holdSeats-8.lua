--[[
  Holds seats for a session, all or nothing.

  Input:
    KEYS[1] ready marker
    KEYS[2] seq counter
    KEYS[3] holder hash (seatId -> sessionId)
    KEYS[4] expiry zset (seatId -> expiresAt ms)
    KEYS[5] sold set
    KEYS[6] the session's set of held seats
    KEYS[7] change channel
    KEYS[8] checkout hash (seatId -> checkout deadline ms)
    ARGV[1] sessionId
    ARGV[2] ttlMs
    ARGV[3] maxSeats
    ARGV[4..] seat ids, in request order (a duplicate counts once, at its first occurrence)

  Output:
    {0, seatId, expiresAt, ...}    each requested seat with its expiry, in request order
    {-1}                           NOT_READY
    {-2, {sold...}, {held...}}     SEAT_UNAVAILABLE, request order
    {-3, wouldHold}                HOLD_LIMIT

  Publishes one batch: AVAILABLE for each expired hold released first (also when the request
  is refused: those releases are due anyway), then HELD for each new hold.
]]
local rcall = redis.call
local readyKey, seqKey, holderKey, expKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local soldKey, sessionKey, channel = KEYS[5], KEYS[6], KEYS[7]
local checkoutKey = KEYS[8]
local hold = { holder = holderKey, exp = expKey, checkout = checkoutKey }
local sessionId = ARGV[1]
local ttlMs = tonumber(ARGV[2])
local maxSeats = tonumber(ARGV[3])

-- @include codes
-- @include distinctArgs
-- @include isReady
-- @include nowMs
-- @include ownedSeats
-- @include releaseIfExpired
-- @include extendSession
-- @include publishChanges

if not isReady(readyKey) then
  return { Code.NOT_READY }
end
local now = nowMs()
local seats = distinctArgs(4)
local changes = {}

-- An expired hold counts as free: release the session's and the requested ones first.
local live, liveCount = {}, 0
for _, seatId in ipairs(ownedSeats(sessionKey, holderKey, sessionId)) do
  if releaseIfExpired(hold, seatId, now, changes) then
    rcall('SREM', sessionKey, seatId)
  else
    live[seatId] = true
    liveCount = liveCount + 1
  end
end
for _, seatId in ipairs(seats) do
  if not live[seatId] then
    releaseIfExpired(hold, seatId, now, changes)
  end
end

local sold, held = {}, {}
for _, seatId in ipairs(seats) do
  if rcall('SISMEMBER', soldKey, seatId) == 1 then
    sold[#sold + 1] = seatId
  else
    local owner = rcall('HGET', holderKey, seatId)
    if owner and owner ~= sessionId then
      held[#held + 1] = seatId
    elseif owner and not live[seatId] then
      -- Held by this session but missing from its set: heal the hint rather than re-hold.
      rcall('SADD', sessionKey, seatId)
      live[seatId] = true
      liveCount = liveCount + 1
    end
  end
end
if #sold > 0 or #held > 0 then
  publishChanges(seqKey, channel, now, changes)
  return { Code.SEAT_UNAVAILABLE, sold, held }
end

local wouldHold = liveCount
for _, seatId in ipairs(seats) do
  if not live[seatId] then
    wouldHold = wouldHold + 1
  end
end
if wouldHold > maxSeats then
  publishChanges(seqKey, channel, now, changes)
  return { Code.HOLD_LIMIT, wouldHold }
end

local expiresAt = now + ttlMs
local reply = { Code.OK }
for _, seatId in ipairs(seats) do
  if not live[seatId] then
    rcall('HSET', holderKey, seatId, sessionId)
    rcall('ZADD', expKey, expiresAt, seatId)
    rcall('SADD', sessionKey, seatId)
    changes[#changes + 1] = { seatId, 'HELD' }
  end
  reply[#reply + 1] = seatId
  reply[#reply + 1] = tonumber(rcall('ZSCORE', expKey, seatId))
end
extendSession(sessionKey, expiresAt)
publishChanges(seqKey, channel, now, changes)
return reply
