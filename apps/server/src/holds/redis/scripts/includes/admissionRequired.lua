--[[
  The waiting room's gate (queue/README.md "The hold gate"): true when the event has a queue
  (its cfg hash exists) and the session's admission is missing or has ended by `now`.
]]
local function admissionRequired(cfgKey, admittedKey, sessionId, now)
  if rcall('EXISTS', cfgKey) == 0 then
    return false
  end
  return tonumber(rcall('HGET', admittedKey, sessionId) or '0') <= now
end
