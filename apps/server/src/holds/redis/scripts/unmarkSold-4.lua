--[[
  The reconciler's other direction: SOLD marks that the ledger has no live ticket for become
  AVAILABLE. Seats that are not SOLD (held or free meanwhile) are left alone. Idempotent.

  Input:
    KEYS[1] ready marker
    KEYS[2] seq counter
    KEYS[3] sold set
    KEYS[4] change channel
    ARGV[1..] seat ids

  Output:
    {0, changed}   seats that were SOLD (one AVAILABLE change each, one batch)
    {-1}           NOT_READY
]]
local rcall = redis.call
local readyKey, seqKey, soldKey, channel = KEYS[1], KEYS[2], KEYS[3], KEYS[4]

-- @include codes
-- @include isReady
-- @include nowMs
-- @include publishChanges

if not isReady(readyKey) then
  return { Code.NOT_READY }
end

local changes = {}
for i = 1, #ARGV do
  local seatId = ARGV[i]
  if rcall('SREM', soldKey, seatId) == 1 then
    changes[#changes + 1] = { seatId, 'AVAILABLE' }
  end
end
publishChanges(seqKey, channel, nowMs(), changes)
return { Code.OK, #changes }
