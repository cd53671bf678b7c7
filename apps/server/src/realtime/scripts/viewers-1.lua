-- How many are looking at an event, over every replica. KEYS[1]: the event's viewers hash, one
-- field per replica, "<count>:<expires at ms>". ARGV: replica id, its count now, ttl ms.
-- Sets (or, at 0, drops) this replica's field, drops the fields of replicas that stopped
-- reporting, and returns the sum of the others. Redis's clock, so replicas' clocks do not matter.
local key = KEYS[1]
local count = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

if count > 0 then
  redis.call('HSET', key, ARGV[1], count .. ':' .. (now + ttl))
else
  redis.call('HDEL', key, ARGV[1])
end

local fields = redis.call('HGETALL', key)
local sum = 0
for i = 1, #fields, 2 do
  local value = fields[i + 1]
  local sep = string.find(value, ':', 1, true)
  local expires = sep and tonumber(string.sub(value, sep + 1)) or 0
  if expires <= now then
    redis.call('HDEL', key, fields[i])
  else
    sum = sum + (tonumber(string.sub(value, 1, sep - 1)) or 0)
  end
end
if sum > 0 then redis.call('PEXPIRE', key, ttl) end
return sum
