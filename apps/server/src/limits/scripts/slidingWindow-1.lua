--[[
  One request against a sliding-window limit: the key's log keeps the times of the requests
  admitted in the last window, so no burst at a window's edge can pass twice the limit. A refused
  request is not logged: it does not push the window on.

  Input:
    KEYS[1] the log (zset of admitted request ids, scored by time ms)
    ARGV[1] window ms
    ARGV[2] max requests per window
    ARGV[3] this request's id (unique)

  Output:
    {current, ttl}   current: requests in the window with this one (max + 1 when refused);
                     ttl: ms until the window has room again (the window when admitted)
]]
local rcall = redis.call
local logKey = KEYS[1]
local windowMs = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local requestId = ARGV[3]

local time = rcall('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
rcall('ZREMRANGEBYSCORE', logKey, '-inf', now - windowMs)
local count = rcall('ZCARD', logKey)
if count < max then
  rcall('ZADD', logKey, now, requestId)
  rcall('PEXPIRE', logKey, windowMs)
  return { count + 1, windowMs }
end
local oldest = rcall('ZRANGE', logKey, 0, 0, 'WITHSCORES')
local ttl = windowMs
if oldest[2] then
  ttl = math.max(1, tonumber(oldest[2]) + windowMs - now)
end
return { max + 1, ttl }
