--[[
  Joins a session to the event's queue; a session that has joined gets its entry again. Before
  salesStartAt the entry goes to the pre-queue (no number until the draw); after the draw it takes
  the next number; in between it waits in `late`, numbered by the draw after the pre-queue.
  Every join of the session counts against its limit (a sliding window: the log of the joins
  admitted in the last window); a join past it is refused before anything else is read or written.

  Input:
    KEYS[1] queue cfg hash       KEYS[2] entries hash (sessionId -> ticketId)
    KEYS[3] owners hash          KEYS[4] pre-queue zset (ticketId -> arrival)
    KEYS[5] late zset            KEYS[6] line zset (ticketId -> number)
    KEYS[7] admitted hash (sessionId -> admittedUntil ms)
    KEYS[8] the session's join log (zset of join ids, scored by time ms)
    ARGV[1] sessionId            ARGV[2] ticketId for a new entry (unique: also the join's id)
    ARGV[3] the proof's leading zero bits (a new entry needs powBits of them)
    ARGV[4] joins per window (0: no limit)
    ARGV[5] the window, ms

  Output:
    {0, created 1/0, entry..., arrival}   see entryReply; arrival: the new entry's, else 0
    {-1}                 QUEUE_NOT_FOUND
    {-2, opensAt}        QUEUE_NOT_OPEN
    {-8, powBits}        PROOF_REQUIRED
    {-9, retryAfterMs}   RATE_LIMITED (nothing written)
]]
local rcall = redis.call
local cfgKey, entriesKey, ownersKey, preKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local lateKey, lineKey, admittedKey, logKey = KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local sessionId, newTicketId = ARGV[1], ARGV[2]
local maxJoins, windowMs = tonumber(ARGV[4]), tonumber(ARGV[5])

-- @include codes
-- @include nowMs
-- @include queueState
-- @include slidingLog

-- One read of the settings and the state, answered back with what this join changed.
local state = queueState(cfgKey)
if not state[1] then
  return { Code.QUEUE_NOT_FOUND }
end
local now = nowMs()
if maxJoins > 0 then
  local retryAfterMs = slidingLog(logKey, now, windowMs, maxJoins, newTicketId)
  if retryAfterMs > 0 then
    return { Code.RATE_LIMITED, retryAfterMs }
  end
end
local ticketId = rcall('HGET', entriesKey, sessionId)
if ticketId then
  local number = rcall('ZSCORE', lineKey, ticketId) or ''
  local admittedUntil = rcall('HGET', admittedKey, sessionId) or ''
  return { Code.OK, 0, { ticketId, number, admittedUntil, now, state }, 0 }
end
local opensAt = tonumber(state[1])
if now < opensAt then
  return { Code.QUEUE_NOT_OPEN, opensAt }
end
local powBits = tonumber(state[5])
if tonumber(ARGV[3]) < powBits then
  return { Code.PROOF_REQUIRED, powBits }
end
rcall('HSET', entriesKey, sessionId, newTicketId)
rcall('HSET', ownersKey, newTicketId, sessionId)
local arrival = rcall('HINCRBY', cfgKey, 'arrivals', 1)
state[12] = arrival
local number = ''
if now < tonumber(state[2]) then
  rcall('ZADD', preKey, arrival, newTicketId)
elseif state[8] == '1' then
  number = rcall('HINCRBY', cfgKey, 'lastNumber', 1)
  state[10] = number
  rcall('ZADD', lineKey, number, newTicketId)
else
  rcall('ZADD', lateKey, arrival, newTicketId)
end
-- A new entry has no admission: the tick admits only numbered entries, by their session.
return { Code.OK, 1, { newTicketId, number, '', now, state }, arrival }
