--[[
  Numbers the call's changes with the event's next sequence numbers and publishes them as one
  batch: {"k":"c","t":now,"s":firstSeq,"c":[[seatId,status],...]}. Nothing when no change.
]]
local function publishChanges(seqKey, channel, now, changes)
  local count = #changes
  if count == 0 then
    return
  end
  local last = rcall('INCRBY', seqKey, count)
  rcall('SPUBLISH', channel, cjson.encode({ k = 'c', t = now, s = last - count + 1, c = changes }))
end
