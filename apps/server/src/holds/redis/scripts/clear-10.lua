--[[
  Admin reset: clears every hold and SOLD mark of the event, leaves it ready, takes one
  sequence number and publishes a reset with it. Session and address sets go stale (dropped
  on next read).
  An event that is not ready has nothing to clear and must stay not ready: the caller restores
  it from the ledger, which an admin reset must not skip.

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
    KEYS[10] hold address hash (seatId -> client address)

  Output:
    {0, seq}   the reset's sequence number
    {-1}       NOT_READY: nothing done
]]
local rcall = redis.call
local readyKey, seqKey, holderKey, expKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local soldKey, channel, checkoutKey = KEYS[5], KEYS[6], KEYS[7]
local buyerKey, boughtKey, placedFromKey = KEYS[8], KEYS[9], KEYS[10]

-- @include codes
-- @include isReady
-- @include nowMs
-- @include publishReset

if not isReady(readyKey) then
  return { Code.NOT_READY }
end
rcall('DEL', holderKey, expKey, soldKey, checkoutKey, buyerKey, boughtKey, placedFromKey)
local seq = rcall('INCR', seqKey)
publishReset(channel, nowMs(), seq)
return { Code.OK, seq }
