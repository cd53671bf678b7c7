--[[
  SOLD marks that the ledger has no live ticket for become AVAILABLE (the reconciler, and a
  cancellation right after its commit), and no longer count towards their buyer's limit.
  Seats that are not SOLD (held or free meanwhile) are left alone; with a buyer, so are seats
  SOLD to anyone else (the seat was sold again since). Idempotent.

  Input:
    KEYS[1] ready marker
    KEYS[2] seq counter
    KEYS[3] sold set
    KEYS[4] change channel
    KEYS[5] buyer hash (seatId -> sessionId the seat was sold to)
    KEYS[6] bought hash (sessionId -> seats sold to it)
    ARGV[1] the sessionId the seats were sold to, or '' for any
    ARGV[2..] seat ids

  Output:
    {0, changed}   seats that were SOLD (one AVAILABLE change each, one batch)
    {-1}           NOT_READY
]]
local rcall = redis.call
local readyKey, seqKey, soldKey, channel = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local buyerKey, boughtKey = KEYS[5], KEYS[6]
local soldTo = ARGV[1]

-- @include codes
-- @include isReady
-- @include nowMs
-- @include publishChanges

if not isReady(readyKey) then
  return { Code.NOT_READY }
end

local changes = {}
for i = 2, #ARGV do
  local seatId = ARGV[i]
  local buyer = rcall('HGET', buyerKey, seatId)
  if (soldTo == '' or buyer == soldTo) and rcall('SREM', soldKey, seatId) == 1 then
    if buyer then
      rcall('HDEL', buyerKey, seatId)
      if rcall('HINCRBY', boughtKey, buyer, -1) <= 0 then
        rcall('HDEL', boughtKey, buyer)
      end
    end
    changes[#changes + 1] = { seatId, 'AVAILABLE' }
  end
end
publishChanges(seqKey, channel, nowMs(), changes)
return { Code.OK, #changes }
