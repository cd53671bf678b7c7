--[[
  The seats the session holds (expired or not), sorted. The session set is only a hint:
  each entry is checked against the holder hash and stale ones are dropped from the set.
]]
local function ownedSeats(sessionKey, holderKey, sessionId)
  local owned = {}
  for _, seatId in ipairs(rcall('SMEMBERS', sessionKey)) do
    if rcall('HGET', holderKey, seatId) == sessionId then
      owned[#owned + 1] = seatId
    else
      rcall('SREM', sessionKey, seatId)
    end
  end
  table.sort(owned)
  return owned
end
