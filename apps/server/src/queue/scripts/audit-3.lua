--[[
  The draw's audit: the seed, its commitment and the pre-queue's numbers, after the draw only.

  Input:
    KEYS[1] queue cfg hash   KEYS[2] pre-queue zset   KEYS[3] line zset

  Output:
    {0, seed, seedCommitment, ticketId, number, ...}   by number
    {-1}   QUEUE_NOT_FOUND
    {-5}   QUEUE_NOT_DRAWN
]]
local rcall = redis.call
local cfgKey, preKey, lineKey = KEYS[1], KEYS[2], KEYS[3]

-- @include codes

if rcall('EXISTS', cfgKey) == 0 then
  return { Code.QUEUE_NOT_FOUND }
end
local cfg = rcall('HMGET', cfgKey, 'drawn', 'seed', 'seedCommitment')
if cfg[1] ~= '1' then
  return { Code.QUEUE_NOT_DRAWN }
end
local reply = { Code.OK, cfg[2], cfg[3] }
local count = rcall('ZCARD', preKey)
-- The pre-queue holds numbers 1..count of the line.
local drawn = rcall('ZRANGEBYSCORE', lineKey, 1, count, 'WITHSCORES')
for i = 1, #drawn do
  reply[#reply + 1] = drawn[i]
end
return reply
