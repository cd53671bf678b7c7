--[[
  The event's sequence number (its last change), read with the ready marker in one step so a
  lost state is never mistaken for a sequence that restarted at 0.

  Input:
    KEYS[1] ready marker
    KEYS[2] seq counter

  Output:
    {0, seq}
    {-1}   NOT_READY
]]
local rcall = redis.call
local readyKey, seqKey = KEYS[1], KEYS[2]

-- @include codes
-- @include isReady

if not isReady(readyKey) then
  return { Code.NOT_READY }
end
return { Code.OK, tonumber(rcall('GET', seqKey) or '0') }
