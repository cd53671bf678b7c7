--[[
  The lone-seat rule (domain/lone-seats.ts, loneSeatsLeft): of the `count` seats checked, given
  in ARGV from `first` as triples seatId, left neighbour, right neighbour ('' for a wall), those
  the hold of `requested` (a set) would leave alone: free, with a free neighbour before, none
  after. `isFree(seatId)`: not sold and without a live hold.
]]
local function loneSeatsLeft(first, count, requested, isFree)
  local function free(seatId)
    return seatId ~= '' and isFree(seatId)
  end
  local lone = {}
  for i = first, first + 3 * (count - 1), 3 do
    local seatId, left, right = ARGV[i], ARGV[i + 1], ARGV[i + 2]
    if free(seatId) then
      local leftFree, rightFree = free(left), free(right)
      local leftAfter = leftFree and not requested[left]
      local rightAfter = rightFree and not requested[right]
      if (leftFree or rightFree) and not leftAfter and not rightAfter then
        lone[#lone + 1] = seatId
      end
    end
  end
  return lone
end
