--[[
  One session's entry in the event's queue.

  Input:
    KEYS[1] queue cfg hash   KEYS[2] entries hash   KEYS[3] line zset   KEYS[4] admitted hash
    ARGV[1] sessionId

  Output:
    {0, entry...}   see entryReply
    {-1}   QUEUE_NOT_FOUND
    {-4}   QUEUE_NOT_JOINED
]]
local rcall = redis.call
local cfgKey, entriesKey, lineKey, admittedKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local sessionId = ARGV[1]

-- @include codes
-- @include nowMs
-- @include queueState
-- @include entryReply

if rcall('EXISTS', cfgKey) == 0 then
  return { Code.QUEUE_NOT_FOUND }
end
local ticketId = rcall('HGET', entriesKey, sessionId)
if not ticketId then
  return { Code.QUEUE_NOT_JOINED }
end
return { Code.OK, entryReply(cfgKey, lineKey, admittedKey, sessionId, ticketId, nowMs()) }
