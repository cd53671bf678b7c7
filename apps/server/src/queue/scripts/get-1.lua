--[[
  The queue's public state.

  Input:
    KEYS[1] queue cfg hash

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
return { Code.OK, queueState(cfgKey) }
