--[[
  Live changes of a queue: its admission rate and its pause, at any time. With neither, a read
  of the queue's state.

  Input:
    KEYS[1] queue cfg hash
    ARGV[1] admitPerMinute, or '' to keep it
    ARGV[2] paused '1' / '0', or '' to keep it

  Output:
    {0, state}
    {-1}   QUEUE_NOT_FOUND
]]
local rcall = redis.call
local cfgKey = KEYS[1]

-- @include codes
-- @include queueState

if rcall('EXISTS', cfgKey) == 0 then
  return { Code.QUEUE_NOT_FOUND }
end
if ARGV[1] ~= '' then rcall('HSET', cfgKey, 'admitPerMinute', ARGV[1]) end
if ARGV[2] ~= '' then rcall('HSET', cfgKey, 'paused', ARGV[2]) end
return { Code.OK, queueState(cfgKey) }
