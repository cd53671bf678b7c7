--[[
  Creates the event's queue, or replaces its settings while its sales have not started. The
  seed and its commitment are written on creation only: the commitment is public from then on.

  Input:
    KEYS[1] queue cfg hash
    ARGV[1] opensAt ms       ARGV[2] salesStartAt ms   ARGV[3] admitPerMinute
    ARGV[4] admissionSeconds ARGV[5] powBits           ARGV[6] seed (hex)
    ARGV[7] seed commitment (hex SHA-256 of the seed's bytes)

  Output:
    {0, state, seed}   the seed kept (the queue's own, not ARGV[6], when it existed)
    {-3}   QUEUE_STARTED
]]
local rcall = redis.call
local cfgKey = KEYS[1]

-- @include codes
-- @include nowMs
-- @include queueState

local now = nowMs()
if rcall('EXISTS', cfgKey) == 1 then
  if now >= tonumber(rcall('HGET', cfgKey, 'salesStartAt')) then
    return { Code.QUEUE_STARTED }
  end
else
  rcall('HSET', cfgKey, 'seed', ARGV[6], 'seedCommitment', ARGV[7], 'paused', 0, 'drawn', 0,
    'servedThrough', 0, 'lastNumber', 0, 'soldOut', 0, 'tokens', 0, 'lastTickAt', 0, 'arrivals', 0)
end
rcall('HSET', cfgKey, 'opensAt', ARGV[1], 'salesStartAt', ARGV[2], 'admitPerMinute', ARGV[3],
  'admissionSeconds', ARGV[4], 'powBits', ARGV[5])
return { Code.OK, queueState(cfgKey), rcall('HGET', cfgKey, 'seed') }
