--[[
  One session's entry: {ticketId, number or '', admittedUntil or '', now, state...}.
]]
local function entryReply(cfgKey, lineKey, admittedKey, sessionId, ticketId, now)
  local number = rcall('ZSCORE', lineKey, ticketId) or ''
  local admittedUntil = rcall('HGET', admittedKey, sessionId) or ''
  return { ticketId, number, admittedUntil, now, queueState(cfgKey) }
end
