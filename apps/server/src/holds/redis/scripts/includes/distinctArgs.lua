--[[
  ARGV[first..] without duplicates, each kept at its first occurrence: a seat id repeated
  in one request counts once.
]]
local function distinctArgs(first)
  local list, seen = {}, {}
  for i = first, #ARGV do
    local value = ARGV[i]
    if not seen[value] then
      seen[value] = true
      list[#list + 1] = value
    end
  end
  return list
end
