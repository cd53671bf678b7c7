--[[
  Checkout step 3 and the reconciler: the seats become SOLD to the buyer, whoever held them,
  and count towards the buyer's limit. Idempotent.
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
    KEYS[8] buyer hash (seatId -> sessionId the seat was sold to)
    KEYS[9] bought hash (sessionId -> seats sold to it)
    ARGV[1] the buyer's sessionId
    ARGV[2..] seat ids

  Output:
    {0, changed}   seats that were not SOLD yet (one SOLD change each, one batch)
    {-1}           NOT_READY
]]
local rcall = redis.call
local readyKey, seqKey, holderKey, expKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local soldKey, channel = KEYS[5], KEYS[6]
local checkoutKey, buyerKey, boughtKey = KEYS[7], KEYS[8], KEYS[9]
local buyer = ARGV[1]
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
for i = 2, #ARGV do
  local seatId = ARGV[i]
  if rcall('SADD', soldKey, seatId) == 1 then
    dropHold(hold, seatId)
    rcall('HSET', buyerKey, seatId, buyer)
    changes[#changes + 1] = { seatId, 'SOLD' }
  end
end
if #changes > 0 then
  rcall('HINCRBY', boughtKey, buyer, #changes)
end
publishChanges(seqKey, channel, nowMs(), changes)
return { Code.OK, #changes }
