--[[
  Keeps the session set alive at least until untilMs plus a grace period, so it outlives every
  hold it lists; it never shortens it. NX sets a first expiry, GT only ever pushes it later.
]]
local function extendSession(sessionKey, untilMs)
  local at = untilMs + 60000
  rcall('PEXPIREAT', sessionKey, at, 'NX')
  rcall('PEXPIREAT', sessionKey, at, 'GT')
end
