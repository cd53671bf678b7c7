--[[
  Replaces the event's queue whole, at any time (an organiser's reset of a demo event): every
  entry, number and admission goes, and the queue starts again from these settings with a new
  seed and its commitment, as if just created. One script: no hold sees the event without a queue
  in between.

  Input:
    KEYS[1] queue cfg hash   KEYS[2] entries hash   KEYS[3] owners hash   KEYS[4] pre-queue zset
    KEYS[5] late zset        KEYS[6] line zset      KEYS[7] admitted hash
    ARGV[1] opensAt ms       ARGV[2] salesStartAt ms   ARGV[3] admitPerMinute
    ARGV[4] admissionSeconds ARGV[5] powBits           ARGV[6] seed (hex)
    ARGV[7] seed commitment (hex SHA-256 of the seed's bytes)

  Output:
    {0, state}
]]
local rcall = redis.call
local cfgKey = KEYS[1]

-- @include codes
-- @include queueState

rcall('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7])
rcall('HSET', cfgKey, 'seed', ARGV[6], 'seedCommitment', ARGV[7], 'paused', 0, 'drawn', 0,
  'servedThrough', 0, 'lastNumber', 0, 'soldOut', 0, 'tokens', 0, 'lastTickAt', 0, 'arrivals', 0,
  'opensAt', ARGV[1], 'salesStartAt', ARGV[2], 'admitPerMinute', ARGV[3],
  'admissionSeconds', ARGV[4], 'powBits', ARGV[5])
return { Code.OK, queueState(cfgKey) }
