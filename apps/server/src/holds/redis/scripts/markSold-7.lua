--[[
  Checkout step 3 and the reconciler: the seats become SOLD, whoever held them. Idempotent.
  The owners' session sets are not touched (not in KEYS): their entries go stale and are
  dropped by the next script that reads them.

  Input:
    KEYS[1] ready marker
    KEYS[2] seq counter
    KEYS[3] holder hash (seatId -> sessionId)
    KEYS[4] expiry zset (seatId -> expiresAt ms)
    KEYS[5] sold set
    KEYS[6] change channel
    KEYS[7] checkout hash (seatId -> checkout deadline ms)
    ARGV[1..] seat ids

  Output:
    {0, changed}   seats that were not SOLD yet (one SOLD change each, one batch)
    {-1}           NOT_READY
]]
local rcall = redis.call
local readyKey, seqKey, holderKey, expKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local soldKey, channel = KEYS[5], KEYS[6]
local checkoutKey = KEYS[7]
local hold = { holder = holderKey, exp = expKey, checkout = checkoutKey }

-- @include codes
-- @include isReady
-- @include nowMs
-- @include dropHold
-- @include publishChanges

if not isReady(readyKey) then
  return { Code.NOT_READY }
end

local changes = {}
for i = 1, #ARGV do
  local seatId = ARGV[i]
  if rcall('SADD', soldKey, seatId) == 1 then
    dropHold(hold, seatId)
    changes[#changes + 1] = { seatId, 'SOLD' }
  end
end
publishChanges(seqKey, channel, nowMs(), changes)
return { Code.OK, #changes }
