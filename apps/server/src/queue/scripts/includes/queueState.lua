--[[
  The queue's public state as a flat list, in the order queue/replies.ts reads it.
]]
local function queueState(cfgKey)
  return rcall('HMGET', cfgKey, 'opensAt', 'salesStartAt', 'admitPerMinute', 'admissionSeconds',
    'powBits', 'paused', 'seedCommitment', 'drawn', 'servedThrough', 'lastNumber', 'soldOut')
end
