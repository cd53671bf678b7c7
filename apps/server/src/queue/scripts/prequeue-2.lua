--[[
  What the draw needs: the seed and the pre-queue's ticket ids, once salesStartAt has passed
  (from then on the pre-queue no longer changes).

  Input:
    KEYS[1] queue cfg hash   KEYS[2] pre-queue zset

  Output:
    {0, seed, ticketId...}
    {0}    already drawn (nothing to do)
    {-1}   QUEUE_NOT_FOUND
    {-6}   DRAW_NOT_DUE
]]
local rcall = redis.call
local cfgKey, preKey = KEYS[1], KEYS[2]

-- @include codes
-- @include nowMs

if rcall('EXISTS', cfgKey) == 0 then
  return { Code.QUEUE_NOT_FOUND }
end
if rcall('HGET', cfgKey, 'drawn') == '1' then
  return { Code.OK }
end
if nowMs() < tonumber(rcall('HGET', cfgKey, 'salesStartAt')) then
  return { Code.DRAW_NOT_DUE }
end
local reply = { Code.OK, rcall('HGET', cfgKey, 'seed') }
for _, ticketId in ipairs(rcall('ZRANGE', preKey, 0, -1)) do
  reply[#reply + 1] = ticketId
end
return reply
