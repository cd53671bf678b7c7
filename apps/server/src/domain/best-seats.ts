// Best available (API.md "Holds"): the `quantity` AVAILABLE seats with the smallest mean distance
// to the venue's focus, side by side in one row or anywhere. Pure: the caller gives seat states.
import { loneSeatChecks, loneSeatsLeft } from './lone-seats.js';
import type { Point, SeatInfo } from './venue/layout.js';

interface BestRow {
  sectionId: string;
  price: number;
  /** By number. */
  seats: SeatInfo[];
  distances: number[];
  /** The smallest distance of a seat of the row: no block in it scores better. */
  nearest: number;
}

/** A venue's seats arranged for the search, built once per event. */
export interface BestIndex {
  /** By nearest seat first. */
  rows: BestRow[];
  /** Every seat, nearest first, with its distance. */
  byDistance: Array<{ seat: SeatInfo; distance: number }>;
  seatById: ReadonlyMap<string, SeatInfo>;
}

export interface BestQuery {
  quantity: number;
  /** Only these sections; absent: all. */
  sectionIds?: ReadonlySet<string>;
  /** Cents; absent: any price. */
  maxPrice?: number;
  /** Consecutive numbers in one row of one section; false: any seats. */
  adjacent: boolean;
  /** Never pick seats that would leave a lone seat (lone-seats.ts). */
  singleSeatRule: boolean;
}

export interface Pick {
  seatIds: string[];
  /** Mean distance to the focus. */
  score: number;
  /** Whether the seats are consecutive numbers in one row. */
  adjacent: boolean;
}

const distanceTo = (focus: Point, seat: SeatInfo) => Math.hypot(seat.x - focus.x, seat.y - focus.y);

export function buildBestIndex(seatById: ReadonlyMap<string, SeatInfo>, focus: Point): BestIndex {
  const rows = new Map<string, SeatInfo[]>();
  const byDistance: BestIndex['byDistance'] = [];
  for (const seat of seatById.values()) {
    byDistance.push({ seat, distance: distanceTo(focus, seat) });
    // Section and row labels cannot hold a newline (layout text): the key is unambiguous.
    const key = `${seat.sectionId}\n${seat.row}`;
    const row = rows.get(key);
    if (row === undefined) rows.set(key, [seat]);
    else row.push(seat);
  }
  byDistance.sort((a, b) => a.distance - b.distance);
  const built = [...rows.values()].map((seats): BestRow => {
    seats.sort((a, b) => a.number - b.number);
    const distances = seats.map((seat) => distanceTo(focus, seat));
    const first = seats[0] as SeatInfo;
    return {
      sectionId: first.sectionId,
      price: first.price,
      seats,
      distances,
      nearest: Math.min(...distances),
    };
  });
  built.sort((a, b) => a.nearest - b.nearest);
  return { rows: built, byDistance, seatById };
}

function matches(query: BestQuery, sectionId: string, price: number): boolean {
  if (query.sectionIds !== undefined && !query.sectionIds.has(sectionId)) return false;
  return query.maxPrice === undefined || price <= query.maxPrice;
}

/** The best seats for the query among those `isAvailable` says are free, or undefined. */
export function pickBest(
  index: BestIndex,
  query: BestQuery,
  isAvailable: (seatId: string) => boolean,
): Pick | undefined {
  return query.adjacent
    ? bestBlock(index, query, isAvailable)
    : bestAnywhere(index, query, isAvailable);
}

function bestBlock(
  index: BestIndex,
  query: BestQuery,
  isAvailable: (seatId: string) => boolean,
): Pick | undefined {
  let best: { row: BestRow; start: number; score: number } | undefined;
  for (const row of index.rows) {
    // Rows come nearest first: once a row cannot beat the best block, no later row can.
    if (best !== undefined && row.nearest >= best.score) break;
    if (!matches(query, row.sectionId, row.price)) continue;
    const found = bestInRow(row, query, isAvailable);
    if (found !== undefined && (best === undefined || found.score < best.score)) {
      best = { row, ...found };
    }
  }
  if (best === undefined) return undefined;
  const seats = best.row.seats.slice(best.start, best.start + query.quantity);
  return { seatIds: seats.map((seat) => seat.id), score: best.score, adjacent: true };
}

/** The best window of `quantity` seats in a run of free consecutive numbers of the row. */
function bestInRow(
  row: BestRow,
  query: BestQuery,
  isAvailable: (seatId: string) => boolean,
): { start: number; score: number } | undefined {
  const { seats, distances } = row;
  const q = query.quantity;
  let best: { start: number; score: number } | undefined;
  let runStart = 0;
  for (let i = 0; i <= seats.length; i++) {
    const seat = seats[i];
    const continues =
      seat !== undefined &&
      isAvailable(seat.id) &&
      (i === runStart || seat.number === (seats[i - 1] as SeatInfo).number + 1);
    if (continues) continue;
    // seats[runStart, i) is a run of free consecutive numbers.
    for (let start = runStart; start + q <= i; start++) {
      // A window one seat away from a run's end leaves that seat alone.
      if (query.singleSeatRule && (start - runStart === 1 || i - (start + q) === 1)) continue;
      let sum = 0;
      for (let j = start; j < start + q; j++) sum += distances[j] as number;
      const score = sum / q;
      if (best === undefined || score < best.score) best = { start, score };
    }
    runStart = seat !== undefined && isAvailable(seat.id) ? i : i + 1;
  }
  return best;
}

function bestAnywhere(
  index: BestIndex,
  query: BestQuery,
  isAvailable: (seatId: string) => boolean,
): Pick | undefined {
  const chosen: SeatInfo[] = [];
  const ids = new Set<string>();
  let sum = 0;
  for (const { seat, distance } of index.byDistance) {
    if (chosen.length === query.quantity) break;
    if (!matches(query, seat.sectionId, seat.price) || !isAvailable(seat.id)) continue;
    if (query.singleSeatRule) {
      // Greedy: a seat that would leave one of its neighbours alone is passed over.
      const trial = [...ids, seat.id];
      const checks = loneSeatChecks(trial, (id) => index.seatById.get(id));
      if (loneSeatsLeft(checks, new Set(trial), isAvailable).length > 0) continue;
    }
    chosen.push(seat);
    ids.add(seat.id);
    sum += distance;
  }
  if (chosen.length < query.quantity) return undefined;
  return { seatIds: [...ids], score: sum / query.quantity, adjacent: isBlock(chosen) };
}

/** True when the seats are consecutive numbers in one row of one section. */
export function isBlock(seats: readonly SeatInfo[]): boolean {
  const first = seats[0];
  if (first === undefined) return false;
  const numbers = seats.map((seat) => seat.number).sort((a, b) => a - b);
  const sameRow = seats.every((s) => s.sectionId === first.sectionId && s.row === first.row);
  return sameRow && numbers.every((n, i) => i === 0 || n === (numbers[i - 1] as number) + 1);
}
