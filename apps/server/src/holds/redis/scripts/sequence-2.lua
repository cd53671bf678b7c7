--[[
  The event's sequence number (its last change) and its state's epoch (the ready marker's
  value), read in one step so a rebuilt state is never mistaken for the one before it.

  Input:
    KEYS[1] ready marker
    KEYS[2] seq counter

  Output:
    {0, seq, epoch}
    {-1}   NOT_READY
]]
local rcall = redis.call
local readyKey, seqKey = KEYS[1], KEYS[2]

-- @include codes

local epoch = rcall('GET', readyKey)
if not epoch then
  return { Code.NOT_READY }
end
return { Code.OK, tonumber(rcall('GET', seqKey) or '0'), epoch }
