--[[
  One admission step (any replica, any number at once): a token bucket at admitPerMinute over
  Redis's clock, at most one second's worth (MAX_ACCRUAL_MS of domain/admission.ts, the same
  arithmetic) per step, whole numbers only, never past the last number given. Nothing is
  admitted while paused or while nothing is available; what accrued meanwhile is dropped.

  Input:
    KEYS[1] queue cfg hash   KEYS[2] line zset   KEYS[3] owners hash   KEYS[4] admitted hash
    ARGV[1] available '1'/'0'   ARGV[2] soldOut '1'/'0'

  Output:
    {0, admitted, servedThrough, admittedUntil, ticketId, sessionId, number, ...}
                the entries admitted by this call (their durable copy records them)
    {-1}   QUEUE_NOT_FOUND
    {-5}   QUEUE_NOT_DRAWN: sales have started, the draw is due first
]]
local rcall = redis.call
local cfgKey, lineKey, ownersKey, admittedKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local MAX_ACCRUAL_MS = 1000

-- @include codes
-- @include nowMs

if rcall('EXISTS', cfgKey) == 0 then
  return { Code.QUEUE_NOT_FOUND }
end
local now = nowMs()
local cfg = rcall('HMGET', cfgKey, 'salesStartAt', 'drawn', 'servedThrough', 'lastNumber',
  'tokens', 'lastTickAt', 'admitPerMinute', 'paused', 'admissionSeconds')
local servedThrough = tonumber(cfg[3])
if now < tonumber(cfg[1]) then
  return { Code.OK, 0, servedThrough }
end
if cfg[2] ~= '1' then
  return { Code.QUEUE_NOT_DRAWN }
end
rcall('HSET', cfgKey, 'soldOut', ARGV[2])

local lastTickAt = tonumber(cfg[6])
local elapsed = math.min(math.max(0, now - lastTickAt), MAX_ACCRUAL_MS)
local tokens = tonumber(cfg[5]) + elapsed * tonumber(cfg[7]) / 60000
local whole = math.floor(tokens)
local room = tonumber(cfg[4]) - servedThrough
local admit = whole
if whole > room then
  admit = math.max(0, room)
  tokens = 0
else
  tokens = tokens - whole
end
rcall('HSET', cfgKey, 'tokens', tostring(tokens), 'lastTickAt', math.max(now, lastTickAt))
if cfg[8] == '1' or ARGV[1] ~= '1' or admit == 0 then
  return { Code.OK, 0, servedThrough }
end

local admittedUntil = now + tonumber(cfg[9]) * 1000
local line = rcall('ZRANGEBYSCORE', lineKey, servedThrough + 1, servedThrough + admit, 'WITHSCORES')
servedThrough = servedThrough + admit
local reply = { Code.OK, admit, servedThrough, admittedUntil }
for i = 1, #line, 2 do
  local ticketId = line[i]
  local sessionId = rcall('HGET', ownersKey, ticketId)
  if sessionId then
    rcall('HSET', admittedKey, sessionId, admittedUntil)
    reply[#reply + 1] = ticketId
    reply[#reply + 1] = sessionId
    reply[#reply + 1] = tonumber(line[i + 1])
  end
end
rcall('HSET', cfgKey, 'servedThrough', servedThrough)
return reply
