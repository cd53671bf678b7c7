--[[
  One request against a sliding-window limit kept as a log (a zset of the requests admitted in the
  last window, scored by time ms): 0 and the request logged when the window has room, else the ms
  until it has (nothing logged: a refused request does not push the window on).
]]
local function slidingLog(logKey, now, windowMs, max, requestId)
  rcall('ZREMRANGEBYSCORE', logKey, '-inf', now - windowMs)
  if rcall('ZCARD', logKey) < max then
    rcall('ZADD', logKey, now, requestId)
    rcall('PEXPIRE', logKey, windowMs)
    return 0
  end
  local oldest = rcall('ZRANGE', logKey, 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + windowMs - now)
end
