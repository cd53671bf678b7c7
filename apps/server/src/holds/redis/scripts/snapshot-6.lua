--[[
  The event's seat state at one sequence number, in one round trip.

  Input:
    KEYS[1] ready marker
    KEYS[2] seq counter
    KEYS[3] holder hash (seatId -> sessionId)
    KEYS[4] expiry zset (seatId -> expiresAt ms)
    KEYS[5] sold set
    KEYS[6] the asking session's set of held seats (any unused key when no session)
    ARGV[1] sessionId, or '' for none
    ARGV[2] '0' to leave out the held and sold lists (only the session's holds are wanted)

  Output:
    {0, seq, {held...}, {sold...}, {seatId, expiresAt, ...}, epoch}
      held includes expired holds not swept yet; the third list is the session's live holds;
      epoch is the ready marker's value, new each time the state is rebuilt
    {-1}   NOT_READY
]]
local rcall = redis.call
local readyKey, seqKey, holderKey, expKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local soldKey, sessionKey = KEYS[5], KEYS[6]
local sessionId = ARGV[1]
local withLists = ARGV[2] ~= '0'

-- @include codes
-- @include nowMs
-- @include ownedSeats

local epoch = rcall('GET', readyKey)
if not epoch then
  return { Code.NOT_READY }
end

local mine = {}
if sessionId ~= '' then
  local now = nowMs()
  for _, seatId in ipairs(ownedSeats(sessionKey, holderKey, sessionId)) do
    local expiresAt = tonumber(rcall('ZSCORE', expKey, seatId))
    if expiresAt > now then
      mine[#mine + 1] = seatId
      mine[#mine + 1] = expiresAt
    end
  end
end
local seq = tonumber(rcall('GET', seqKey) or '0')
if not withLists then
  return { Code.OK, seq, {}, {}, mine, epoch }
end
return { Code.OK, seq, rcall('HKEYS', holderKey), rcall('SMEMBERS', soldKey), mine, epoch }
