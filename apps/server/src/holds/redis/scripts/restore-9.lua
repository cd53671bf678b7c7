--[[
  Rebuilds the event's SOLD marks from the ledger, one chunk of seats per call. Each seat not
  yet SOLD becomes SOLD to its buyer (dropping any hold; it counts towards the buyer's limit)
  and takes a sequence number. When the event was ready the changes are published as one
  batch; when it was not, nothing is published until the final chunk, which marks the event ready and publishes one reset with the seq reached.
  The ready marker's value is the new state's epoch (the server time in microseconds), so a
  replica that missed the reset still tells this state from the lost one (sequence-2.lua).
  Live holds are kept: clearing them could race a concurrent restore of another replica.

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
    ARGV[1] '1' for the final chunk, else '0'
    ARGV[2..] pairs of seat id and buyer sessionId, the ledger's live tickets

  Output:
    {0, changed}   seats that became SOLD
]]
local rcall = redis.call
local readyKey, seqKey, holderKey, expKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local soldKey, channel = KEYS[5], KEYS[6]
local checkoutKey, buyerKey, boughtKey = KEYS[7], KEYS[8], KEYS[9]
local hold = { holder = holderKey, exp = expKey, checkout = checkoutKey }
local final = ARGV[1] == '1'

-- @include codes
-- @include isReady
-- @include nowMs
-- @include dropHold
-- @include publishChanges
-- @include publishReset

local wasReady = isReady(readyKey)
local now = nowMs()

local changes = {}
for i = 2, #ARGV, 2 do
  local seatId, buyer = ARGV[i], ARGV[i + 1]
  if rcall('SADD', soldKey, seatId) == 1 then
    dropHold(hold, seatId)
    rcall('HSET', buyerKey, seatId, buyer)
    rcall('HINCRBY', boughtKey, buyer, 1)
    changes[#changes + 1] = { seatId, 'SOLD' }
  end
end

if wasReady then
  publishChanges(seqKey, channel, now, changes)
else
  local seq = rcall('INCRBY', seqKey, #changes)
  if final then
    local time = rcall('TIME')
    rcall('SET', readyKey, time[1] .. string.format('%06d', tonumber(time[2])))
    publishReset(channel, now, seq)
  end
end
return { Code.OK, #changes }
