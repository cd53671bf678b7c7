--[[
  The sweeper: releases up to `limit` holds whose expiry has passed, earliest first.
  Idempotent, so any number of replicas may run it. Session sets are not touched (not in
  KEYS): their entries go stale and are dropped by the next script that reads them.

  Input:
    KEYS[1] ready marker
    KEYS[2] seq counter
    KEYS[3] holder hash (seatId -> sessionId)
    KEYS[4] expiry zset (seatId -> expiresAt ms)
    KEYS[5] change channel
    KEYS[6] checkout hash (seatId -> checkout deadline ms)
    ARGV[1] limit

  Output:
    {0, changed}   holds released (one AVAILABLE change each, one batch)
    {-1}           NOT_READY
]]
local rcall = redis.call
local readyKey, seqKey, holderKey, expKey, channel = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local checkoutKey = KEYS[6]
local hold = { holder = holderKey, exp = expKey, checkout = checkoutKey }
local limit = tonumber(ARGV[1])

-- @include codes
-- @include isReady
-- @include nowMs
-- @include dropHold
-- @include publishChanges

if not isReady(readyKey) then
  return { Code.NOT_READY }
end
local now = nowMs()

local changes = {}
if limit > 0 then
  local due = rcall('ZRANGE', expKey, '-inf', now, 'BYSCORE', 'LIMIT', 0, limit)
  for _, seatId in ipairs(due) do
    dropHold(hold, seatId)
    changes[#changes + 1] = { seatId, 'AVAILABLE' }
  end
end
publishChanges(seqKey, channel, now, changes)
return { Code.OK, #changes }
