--[[
  The queue's state as a flat list, in the order queue/replies.ts reads it (`arrivals`, the
  entries so far, is absent until the first join).
]]
local function queueState(cfgKey)
  return rcall('HMGET', cfgKey, 'opensAt', 'salesStartAt', 'admitPerMinute', 'admissionSeconds',
    'powBits', 'paused', 'seedCommitment', 'drawn', 'servedThrough', 'lastNumber', 'soldOut', 'arrivals')
end
