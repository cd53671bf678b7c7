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
    KEYS[9] bought hash (sessionId -> seats sold to it)
    KEYS[10] hold address hash (seatId -> client address the hold was placed from)
    KEYS[11] the client address's set of held seats: a hint, re-checked against KEYS[10]
    KEYS[12] the waiting room's cfg hash (absent: the event has no queue)
    KEYS[13] the waiting room's admitted hash (sessionId -> admittedUntil ms)
    KEYS[14] GA cursor hash (sectionId -> the place number the next search starts at)
    ARGV[1] sessionId
    ARGV[2] ttlMs
    ARGV[3] maxSeats: held now plus bought before
    ARGV[4] client address (grouped: an IPv6 address by its /64)
    ARGV[5] maxPerAddress: seats all sessions of the address may hold at once (0: no cap)
    ARGV[6] n: how many seats the lone-seat rule checks (0: the rule is off)
    ARGV[7..6+3n] each checked seat with its row neighbours: seatId, left, right ('' for a wall)
    ARGV[7+3n] g: how many GA requests follow
    ARGV[8+3n..7+3n+3g] each GA request: sectionId, quantity, the section's capacity
    ARGV[8+3n+3g..] seat ids, in request order (a duplicate counts once, at its first occurrence)

  GA places: place n of section s is the seat id "s.n" (1 <= n <= capacity). A request for q
  places searches from the section's cursor, wrapping once round the capacity, for places that
  are neither sold nor held (a lapsed hold is released as it is met), and takes the first q; on
  success the cursor moves past the last one taken. A released, expired or cancelled place is
  thus found again: the capacity is exact.

  Output:
    {0, seatId, expiresAt, ...}    each requested seat with its expiry, in request order, then
                                   each GA place taken, by request then in the order found
    {-1}                           NOT_READY
    {-2, {sold...}, {held...}, {sectionId...}}
                                   SEAT_UNAVAILABLE, request order; the GA sections short of places
    {-3, wouldHold}                HOLD_LIMIT: held now + bought before + new seats
    {-9, wouldHold}                ADDRESS_LIMIT: the address's live holds + new seats
    {-11, {seatId...}}             SINGLE_SEAT: the checked seats the hold would leave alone
    {-12}                          QUEUE_ADMISSION_REQUIRED: the event has a queue and the session
                                   is not admitted, or its admission has ended (nothing changes)

  Publishes one batch: AVAILABLE for each expired hold released first (also when the request
  is refused: those releases are due anyway), then HELD for each new hold.
]]
local rcall = redis.call
local readyKey, seqKey, holderKey, expKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local soldKey, sessionKey, channel = KEYS[5], KEYS[6], KEYS[7]
local checkoutKey, boughtKey, placedFromKey, addressKey = KEYS[8], KEYS[9], KEYS[10], KEYS[11]
local queueCfgKey, admittedKey, gaCursorKey = KEYS[12], KEYS[13], KEYS[14]
local hold = { holder = holderKey, exp = expKey, checkout = checkoutKey }
local sessionId = ARGV[1]
local ttlMs = tonumber(ARGV[2])
local maxSeats = tonumber(ARGV[3])
local address = ARGV[4]
local maxPerAddress = tonumber(ARGV[5])
local loneChecks = tonumber(ARGV[6])

-- @include codes
-- @include distinctArgs
-- @include isReady
-- @include nowMs
-- @include ownedSeats
-- @include releaseIfExpired
-- @include keepHintAlive
-- @include publishChanges
-- @include loneSeatsLeft
-- @include admissionRequired

if not isReady(readyKey) then
  return { Code.NOT_READY }
end
local now = nowMs()
-- The waiting room's gate comes first: a session not admitted changes nothing, not even lapses.
if admissionRequired(queueCfgKey, admittedKey, sessionId, now) then
  return { Code.QUEUE_ADMISSION_REQUIRED }
end
local gaBase = 7 + 3 * loneChecks
local gaCount = tonumber(ARGV[gaBase])
local seats = distinctArgs(gaBase + 1 + 3 * gaCount)
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
-- GA places: the first free ones from each section's cursor (see the header).
local places, short, cursors = {}, {}, {}
for i = 0, gaCount - 1 do
  local sectionId = ARGV[gaBase + 1 + 3 * i]
  local quantity = tonumber(ARGV[gaBase + 2 + 3 * i])
  local capacity = tonumber(ARGV[gaBase + 3 + 3 * i])
  local n = tonumber(rcall('HGET', gaCursorKey, sectionId) or 1)
  if n < 1 or n > capacity then
    n = 1
  end
  local found, tried = 0, 0
  while found < quantity and tried < capacity do
    local placeId = sectionId .. '.' .. n
    if rcall('SISMEMBER', soldKey, placeId) == 0 then
      releaseIfExpired(hold, placeId, now, changes)
      if rcall('HEXISTS', holderKey, placeId) == 0 then
        places[#places + 1] = placeId
        found = found + 1
      end
    end
    n = n % capacity + 1
    tried = tried + 1
  end
  if found < quantity then
    short[#short + 1] = sectionId
  end
  cursors[#cursors + 1] = { sectionId, n }
end

if #sold > 0 or #held > 0 or #short > 0 then
  publishChanges(seqKey, channel, now, changes)
  return { Code.SEAT_UNAVAILABLE, sold, held, short }
end

local added = #places
for _, seatId in ipairs(seats) do
  if not live[seatId] then
    added = added + 1
  end
end
local wouldHold = liveCount + tonumber(rcall('HGET', boughtKey, sessionId) or 0) + added
if wouldHold > maxSeats then
  publishChanges(seqKey, channel, now, changes)
  return { Code.HOLD_LIMIT, wouldHold }
end

-- The address's live holds: entries whose hold lapsed, went, or was placed again from
-- elsewhere are dropped from the hint as they are met.
local function addressHolds()
  local count = 0
  for _, seatId in ipairs(rcall('SMEMBERS', addressKey)) do
    local expiresAt = rcall('ZSCORE', expKey, seatId)
    if expiresAt and tonumber(expiresAt) > now and rcall('HGET', placedFromKey, seatId) == address then
      count = count + 1
    else
      rcall('SREM', addressKey, seatId)
    end
  end
  return count
end
if maxPerAddress > 0 and added > 0 then
  local byAddress = addressHolds() + added
  if byAddress > maxPerAddress then
    publishChanges(seqKey, channel, now, changes)
    return { Code.ADDRESS_LIMIT, byAddress }
  end
end

if loneChecks > 0 then
  local requested = {}
  for _, seatId in ipairs(seats) do
    requested[seatId] = true
  end
  -- A lapsed hold of a neighbour counts as free, as it does for a requested seat.
  local function isFree(seatId)
    if rcall('SISMEMBER', soldKey, seatId) == 1 then
      return false
    end
    local heldUntil = rcall('ZSCORE', expKey, seatId)
    return not heldUntil or tonumber(heldUntil) <= now
  end
  local lone = loneSeatsLeft(7, loneChecks, requested, isFree)
  if #lone > 0 then
    publishChanges(seqKey, channel, now, changes)
    return { Code.SINGLE_SEAT, lone }
  end
end

local expiresAt = now + ttlMs
local reply = { Code.OK }
for _, seatId in ipairs(seats) do
  if not live[seatId] then
    rcall('HSET', holderKey, seatId, sessionId)
    rcall('ZADD', expKey, expiresAt, seatId)
    rcall('SADD', sessionKey, seatId)
    if maxPerAddress > 0 then
      rcall('HSET', placedFromKey, seatId, address)
      rcall('SADD', addressKey, seatId)
    else
      -- Placed without a cap: an earlier hold's address must not count this one.
      rcall('HDEL', placedFromKey, seatId)
    end
    changes[#changes + 1] = { seatId, 'HELD' }
  end
  reply[#reply + 1] = seatId
  reply[#reply + 1] = tonumber(rcall('ZSCORE', expKey, seatId))
end
for _, placeId in ipairs(places) do
  rcall('HSET', holderKey, placeId, sessionId)
  rcall('ZADD', expKey, expiresAt, placeId)
  rcall('SADD', sessionKey, placeId)
  if maxPerAddress > 0 then
    rcall('HSET', placedFromKey, placeId, address)
    rcall('SADD', addressKey, placeId)
  else
    rcall('HDEL', placedFromKey, placeId)
  end
  changes[#changes + 1] = { placeId, 'HELD' }
  reply[#reply + 1] = placeId
  reply[#reply + 1] = expiresAt
end
for _, cursor in ipairs(cursors) do
  rcall('HSET', gaCursorKey, cursor[1], cursor[2])
end
keepHintAlive(sessionKey, expiresAt)
if maxPerAddress > 0 and added > 0 then
  keepHintAlive(addressKey, expiresAt)
end
publishChanges(seqKey, channel, now, changes)
return reply
