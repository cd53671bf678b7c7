--[[
  Rebuilds a lost queue from its durable copy (queue/journal.ts), one chunk of entries per call,
  the settings with the final chunk. Until the final chunk writes the cfg hash every other script
  answers QUEUE_NOT_FOUND, so nothing is answered from a half-built line. Any number of replicas
  may restore at once: a session already present keeps its entry, and once the cfg hash exists
  every call changes nothing (the queue is live again and may have moved on).

  Input:
    KEYS[1] queue cfg hash       KEYS[2] entries hash (sessionId -> ticketId)
    KEYS[3] owners hash          KEYS[4] pre-queue zset (ticketId -> arrival)
    KEYS[5] late zset            KEYS[6] line zset (ticketId -> number)
    KEYS[7] admitted hash (sessionId -> admittedUntil ms)
    ARGV[1] '1' for the final chunk, else '0'
    ARGV[2..14] opensAt, salesStartAt, admitPerMinute, admissionSeconds, powBits, paused,
                seed, seedCommitment, drawn, servedThrough, lastNumber, soldOut, arrivals
    ARGV[15..]  entries, six values each: sessionId ('' for a number whose session was lost),
                ticketId, arrival, prequeue '1'/'0', number or '', admittedUntil or ''

  Output:
    {0, 1}   the final chunk rebuilt the queue
    {0, 0}   a chunk written, or the queue was there already
]]
local rcall = redis.call
local cfgKey, entriesKey, ownersKey, preKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local lateKey, lineKey, admittedKey = KEYS[5], KEYS[6], KEYS[7]
local FIRST_ENTRY = 15

-- @include codes
-- @include nowMs

if rcall('EXISTS', cfgKey) == 1 then
  return { Code.OK, 0 }
end

for i = FIRST_ENTRY, #ARGV, 6 do
  local sessionId, ticketId, arrival = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local prequeue, number, admittedUntil = ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  local fresh = sessionId == '' or rcall('HSETNX', entriesKey, sessionId, ticketId) == 1
  if fresh then
    if sessionId ~= '' then
      rcall('HSET', ownersKey, ticketId, sessionId)
      if admittedUntil ~= '' then rcall('HSET', admittedKey, sessionId, admittedUntil) end
    end
    if prequeue == '1' then rcall('ZADD', preKey, arrival, ticketId) end
    if number ~= '' then
      rcall('ZADD', lineKey, number, ticketId)
    elseif prequeue ~= '1' then
      rcall('ZADD', lateKey, arrival, ticketId)
    end
  end
end

if ARGV[1] ~= '1' then
  return { Code.OK, 0 }
end

-- Another replica's chunks may have brought entries this one's copy did not have: the counters
-- cover whatever the line holds, so no number or arrival is given twice.
local function top(key, floor)
  local last = rcall('ZRANGE', key, -1, -1, 'WITHSCORES')
  if last[2] and tonumber(last[2]) > floor then return tonumber(last[2]) end
  return floor
end
local lastNumber = top(lineKey, tonumber(ARGV[12]))
local arrivals = top(lateKey, top(preKey, tonumber(ARGV[14])))
rcall('HSET', cfgKey, 'opensAt', ARGV[2], 'salesStartAt', ARGV[3], 'admitPerMinute', ARGV[4],
  'admissionSeconds', ARGV[5], 'powBits', ARGV[6], 'paused', ARGV[7], 'seed', ARGV[8],
  'seedCommitment', ARGV[9], 'drawn', ARGV[10], 'servedThrough', ARGV[11],
  'lastNumber', lastNumber, 'soldOut', ARGV[13], 'arrivals', arrivals,
  'tokens', 0, 'lastTickAt', nowMs())
return { Code.OK, 1 }
