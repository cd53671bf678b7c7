--[[
  Applies the draw (computed by the caller from the seed: domain/draw.ts), once: the pre-queue's
  ticket ids get 1..n in the given order, then those in `late` n+1.. by arrival. Any replica may
  call it; the second call changes nothing.

  Input:
    KEYS[1] queue cfg hash   KEYS[2] pre-queue zset   KEYS[3] late zset   KEYS[4] line zset
    ARGV    the pre-queue's ticket ids in drawn order (all of them)

  Output:
    {0, 1, ticketId...}   drawn by this call; the late joiners it numbered n+1.., in order
    {0, 0}   drawn before
    {-1}     QUEUE_NOT_FOUND
    {-6}     DRAW_NOT_DUE
    {-7}     DRAW_STALE: ARGV is not the pre-queue
]]
local rcall = redis.call
local cfgKey, preKey, lateKey, lineKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]

-- @include codes
-- @include nowMs

if rcall('EXISTS', cfgKey) == 0 then
  return { Code.QUEUE_NOT_FOUND }
end
if rcall('HGET', cfgKey, 'drawn') == '1' then
  return { Code.OK, 0 }
end
local now = nowMs()
if now < tonumber(rcall('HGET', cfgKey, 'salesStartAt')) then
  return { Code.DRAW_NOT_DUE }
end
if rcall('ZCARD', preKey) ~= #ARGV then
  return { Code.DRAW_STALE }
end
for _, ticketId in ipairs(ARGV) do
  if not rcall('ZSCORE', preKey, ticketId) then
    return { Code.DRAW_STALE }
  end
end
for number, ticketId in ipairs(ARGV) do
  rcall('ZADD', lineKey, number, ticketId)
end
local last = #ARGV
local reply = { Code.OK, 1 }
for _, ticketId in ipairs(rcall('ZRANGE', lateKey, 0, -1)) do
  last = last + 1
  rcall('ZADD', lineKey, last, ticketId)
  reply[#reply + 1] = ticketId
end
rcall('DEL', lateKey)
-- A queue rebuilt undrawn (its draw never reached the durable copy) may hold later numbers.
last = math.max(last, tonumber(rcall('HGET', cfgKey, 'lastNumber')))
rcall('HSET', cfgKey, 'drawn', 1, 'lastNumber', last, 'tokens', 0, 'lastTickAt', now)
return reply
