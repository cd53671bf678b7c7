--[[
  The store's clock: Redis TIME in epoch milliseconds, so every replica agrees on expiries.
]]
local function nowMs()
  local time = rcall('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
