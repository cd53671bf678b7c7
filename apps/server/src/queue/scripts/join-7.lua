--[[
  Joins a session to the event's queue; a session that has joined gets its entry again. Before
  salesStartAt the entry goes to the pre-queue (no number until the draw); after the draw it takes
  the next number; in between it waits in `late`, numbered by the draw after the pre-queue.

  Input:
    KEYS[1] queue cfg hash       KEYS[2] entries hash (sessionId -> ticketId)
    KEYS[3] owners hash          KEYS[4] pre-queue zset (ticketId -> arrival)
    KEYS[5] late zset            KEYS[6] line zset (ticketId -> number)
    KEYS[7] admitted hash (sessionId -> admittedUntil ms)
    ARGV[1] sessionId            ARGV[2] ticketId for a new entry
    ARGV[3] the proof's leading zero bits (a new entry needs powBits of them)

  Output:
    {0, created 1/0, entry..., arrival}   see entryReply; arrival: the new entry's, else 0
    {-1}            QUEUE_NOT_FOUND
    {-2, opensAt}   QUEUE_NOT_OPEN
    {-8, powBits}   PROOF_REQUIRED
]]
local rcall = redis.call
local cfgKey, entriesKey, ownersKey, preKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local lateKey, lineKey, admittedKey = KEYS[5], KEYS[6], KEYS[7]
local sessionId = ARGV[1]

-- @include codes
-- @include nowMs
-- @include queueState
-- @include entryReply

if rcall('EXISTS', cfgKey) == 0 then
  return { Code.QUEUE_NOT_FOUND }
end
local now = nowMs()
local ticketId = rcall('HGET', entriesKey, sessionId)
local created = 0
local arrival = 0
if not ticketId then
  local opensAt = tonumber(rcall('HGET', cfgKey, 'opensAt'))
  if now < opensAt then
    return { Code.QUEUE_NOT_OPEN, opensAt }
  end
  local powBits = tonumber(rcall('HGET', cfgKey, 'powBits'))
  if tonumber(ARGV[3]) < powBits then
    return { Code.PROOF_REQUIRED, powBits }
  end
  ticketId = ARGV[2]
  created = 1
  rcall('HSET', entriesKey, sessionId, ticketId)
  rcall('HSET', ownersKey, ticketId, sessionId)
  arrival = rcall('HINCRBY', cfgKey, 'arrivals', 1)
  if now < tonumber(rcall('HGET', cfgKey, 'salesStartAt')) then
    rcall('ZADD', preKey, arrival, ticketId)
  elseif rcall('HGET', cfgKey, 'drawn') == '1' then
    rcall('ZADD', lineKey, rcall('HINCRBY', cfgKey, 'lastNumber', 1), ticketId)
  else
    rcall('ZADD', lateKey, arrival, ticketId)
  end
end
return { Code.OK, created, entryReply(cfgKey, lineKey, admittedKey, sessionId, ticketId, now), arrival }
