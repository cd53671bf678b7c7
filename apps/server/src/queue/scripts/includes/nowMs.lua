--[[
  The queue's clock: Redis TIME in epoch milliseconds, the same clock as the hold scripts'.
]]
local function nowMs()
  local time = rcall('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
