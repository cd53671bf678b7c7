// The lone-seat rule (API.md "Holds"): a hold must not leave an AVAILABLE seat with no AVAILABLE
// row neighbour when it had one before. Pure: the stores run it inside their atomic step.

/** A seat's row neighbours: the seats numbered one below and one above in its row; none: a wall. */
export interface RowNeighbours {
  left?: string;
  right?: string;
}

/**
 * One seat a hold could leave alone, with its two neighbours ('' for a wall). The caller builds
 * these from the venue; the store checks them against its state (holdSeats-14.lua reads them
 * from ARGV as triples).
 */
export interface LoneSeatCheck {
  seatId: string;
  left: string;
  right: string;
}

/**
 * The seats next to the requested ones (not requested themselves), each once, in the order first
 * met, with their own neighbours: the only seats a hold of `seatIds` can leave alone.
 */
export function loneSeatChecks(
  seatIds: readonly string[],
  neighboursOf: (seatId: string) => RowNeighbours | undefined,
): LoneSeatCheck[] {
  const requested = new Set(seatIds);
  const seen = new Set<string>();
  const checks: LoneSeatCheck[] = [];
  for (const seatId of seatIds) {
    const near = neighboursOf(seatId);
    for (const next of [near?.left, near?.right]) {
      if (next === undefined || requested.has(next) || seen.has(next)) continue;
      seen.add(next);
      const { left = '', right = '' } = neighboursOf(next) ?? {};
      checks.push({ seatId: next, left, right });
    }
  }
  return checks;
}

/**
 * The checked seats a hold of `requested` would leave alone: AVAILABLE, with an AVAILABLE
 * neighbour before, none after (the requested seats are no longer AVAILABLE then).
 */
export function loneSeatsLeft(
  checks: readonly LoneSeatCheck[],
  requested: ReadonlySet<string>,
  isAvailable: (seatId: string) => boolean,
): string[] {
  const free = (seatId: string) => seatId !== '' && isAvailable(seatId);
  const lone: string[] = [];
  for (const { seatId, left, right } of checks) {
    if (!free(seatId) || (!free(left) && !free(right))) continue;
    const freeAfter = (next: string) => free(next) && !requested.has(next);
    if (!freeAfter(left) && !freeAfter(right)) lone.push(seatId);
  }
  return lone;
}

/** True when the seat is AVAILABLE and neither row neighbour is (a wall is not). */
export function isLone(
  seatId: string,
  neighbours: RowNeighbours,
  isAvailable: (seatId: string) => boolean,
): boolean {
  const free = (id: string | undefined) => id !== undefined && isAvailable(id);
  return free(seatId) && !free(neighbours.left) && !free(neighbours.right);
}
