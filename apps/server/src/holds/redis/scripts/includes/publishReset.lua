--[[
  Tells subscribers to take a fresh snapshot: {"k":"r","t":now,"s":seq}.
]]
local function publishReset(channel, now, seq)
  rcall('SPUBLISH', channel, cjson.encode({ k = 'r', t = now, s = seq }))
end
