--[[
  Keeps a hint set (a session's or a client address's held seats) alive at least until untilMs
  plus a grace period, so it outlives every hold it lists; it never shortens it. NX sets a first
  expiry, GT only ever pushes it later.
]]
local function keepHintAlive(hintKey, untilMs)
  local at = untilMs + 60000
  rcall('PEXPIREAT', hintKey, at, 'NX')
  rcall('PEXPIREAT', hintKey, at, 'GT')
end
