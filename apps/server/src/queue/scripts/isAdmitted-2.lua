--[[
  The hold gate's check, on its own: 1 when the event has no queue or the session's admission
  lasts past now, else 0. A hold script makes the same check with the same two keys.

  Input:
    KEYS[1] queue cfg hash   KEYS[2] admitted hash (sessionId -> admittedUntil ms)
    ARGV[1] sessionId

  Output:
    1 or 0
]]
local rcall = redis.call
local cfgKey, admittedKey = KEYS[1], KEYS[2]

-- @include nowMs

if rcall('EXISTS', cfgKey) == 0 then
  return 1
end
local admittedUntil = tonumber(rcall('HGET', admittedKey, ARGV[1]) or '0')
if admittedUntil > nowMs() then
  return 1
end
return 0
