--[[
  False when the event's state was never restored or was lost (FLUSHALL, restart, eviction).
]]
local function isReady(readyKey)
  return rcall('EXISTS', readyKey) == 1
end
