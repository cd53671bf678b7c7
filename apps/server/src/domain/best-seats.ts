// Best available (API.md "Holds"): the `quantity` AVAILABLE seats with the smallest mean distance
// to the venue's focus, side by side in one row or anywhere. Pure: the caller gives seat states,
// and may give a RowVacancy of a view those states are a part of, so that rows with no room are
// passed over without reading their seats.
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
  /** Each seat's row (its index in `rows`) and place in it: row * SLOT_STRIDE + place. */
  slots: ReadonlyMap<string, number>;
}

/** Wider than any row (a venue has at most MAX_VENUE_SEATS seats). */
const SLOT_STRIDE = 1 << 20;

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
  const slots = new Map<string, number>();
  built.forEach((row, r) =>
    row.seats.forEach((seat, at) => slots.set(seat.id, r * SLOT_STRIDE + at)),
  );
  return { rows: built, byDistance, seatById, slots };
}

/**
 * Which seats of each row a view of the event (the replica's mirror, a store snapshot) has free,
 * kept up to date seat by seat, with each row's best block score on it cached until the row
 * changes. A pick given a vacancy skips the rows whose score cannot beat the best block found,
 * without reading their seats: as the front fills, it no longer re-reads every taken seat there.
 */
export class RowVacancy {
  /** Per row, 1 where the seat at that place is free. */
  private readonly free: Uint8Array[];
  /** Per row, by quantity: the best mean distance of a free block (Infinity: none); [] once stale. */
  private readonly bounds: number[][];
  /**
   * Per claims a pick gives (none: null), by quantity, the rows ordered by their bound on the
   * seats left (made by the first such pick).
   */
  private readonly trees = new Map<RowClaims | null, Map<number, BoundTree>>();

  constructor(private readonly index: BestIndex) {
    this.free = index.rows.map((row) => new Uint8Array(row.seats.length).fill(1));
    this.bounds = index.rows.map(() => []);
  }

  /** The view was replaced: `taken` are not free, every other seat is. */
  reset(taken: Iterable<string>): void {
    for (const [r, free] of this.free.entries()) {
      free.fill(1);
      this.bounds[r] = [];
    }
    this.trees.clear();
    for (const seatId of taken) this.set(seatId, false);
  }

  /** One seat changed in the view; a seat of another venue is ignored. */
  set(seatId: string, free: boolean): void {
    const slot = this.index.slots.get(seatId);
    if (slot === undefined) return;
    const r = Math.floor(slot / SLOT_STRIDE);
    const seats = this.free[r] as Uint8Array;
    const at = slot % SLOT_STRIDE;
    const value = free ? 1 : 0;
    if (seats[at] === value) return;
    seats[at] = value;
    this.bounds[r] = [];
    for (const trees of this.trees.values()) for (const tree of trees.values()) tree.changed(r);
  }

  /** The rows' bounds for `quantity` on the seats the claims leave, brought up to date. */
  tree(quantity: number, claims?: RowClaims): BoundTree {
    const bound = (r: number) => this.bound(r, quantity, claims);
    let trees = this.trees.get(claims ?? null);
    if (trees === undefined) {
      trees = new Map();
      this.trees.set(claims ?? null, trees);
    }
    let tree = trees.get(quantity);
    if (tree === undefined) {
      tree = new BoundTree(this.index.rows.length, bound, claims);
      trees.set(quantity, tree);
    } else tree.refresh(bound);
    return tree;
  }

  /**
   * The best score of a block of `quantity` seats of row `r` free in this view, the lone-seat rule
   * aside (a block it allows is free in the view too); Infinity: none. No pick in the row on a
   * part of the view's free seats scores better.
   */
  bound(r: number, quantity: number, claims?: RowClaims): number {
    const free = this.free[r] as Uint8Array;
    // A row with claimed seats is bounded afresh on the seats left: claims come and go fast.
    if (claims?.inRow(r)) {
      const left = (at: number) => free[at] === 1 && !claims.has(r, at);
      return bestWindow(this.index.rows[r] as BestRow, quantity, left).score;
    }
    const cached = this.bounds[r] as number[];
    let bound = cached[quantity];
    if (bound === undefined) {
      bound = bestWindow(this.index.rows[r] as BestRow, quantity, (at) => free[at] === 1).score;
      cached[quantity] = bound;
    }
    return bound;
  }
}

/**
 * A vacancy's row bounds for one quantity in a tournament tree: each node has the smallest bound
 * under it and the first row that has it, so that a pick can visit the rows best bound first and
 * stop at the first that cannot beat what it found. A row changed in the view is bounded afresh
 * at the next pick.
 */
export class BoundTree {
  /** The first leaf: row r is node size + r; node i's children are 2i and 2i + 1. */
  readonly size: number;
  readonly min: Float64Array;
  /** The row with the smallest bound under each node, the first of a tie (-1: past the last row). */
  readonly row: Int32Array;
  private readonly dirty: number[] = [];
  private readonly isDirty: Uint8Array;
  /** The claims' row versions the bounds were taken at. */
  private readonly claimsSeen: Uint32Array | undefined;
  private claimsVersion = 0;

  constructor(
    rows: number,
    bound: (r: number) => number,
    private readonly claims?: RowClaims,
  ) {
    if (claims !== undefined) {
      this.claimsSeen = claims.versions.slice();
      this.claimsVersion = claims.version;
    }
    let size = 1;
    while (size < rows) size *= 2;
    this.size = size;
    this.min = new Float64Array(2 * size).fill(Infinity);
    this.row = new Int32Array(2 * size).fill(-1);
    this.isDirty = new Uint8Array(rows);
    for (let r = 0; r < rows; r++) {
      this.min[size + r] = bound(r);
      this.row[size + r] = r;
    }
    for (let i = size - 1; i >= 1; i--) this.pull(i);
  }

  changed(r: number): void {
    if (this.isDirty[r] === 1) return;
    this.isDirty[r] = 1;
    this.dirty.push(r);
  }

  refresh(bound: (r: number) => number): void {
    const { claims, claimsSeen } = this;
    if (claims !== undefined && claimsSeen !== undefined && claims.version !== this.claimsVersion) {
      // A pass over a counter per row: cheaper than telling each tree of each claim.
      const { versions } = claims;
      for (let r = 0; r < versions.length; r++) {
        if (versions[r] === claimsSeen[r]) continue;
        claimsSeen[r] = versions[r] as number;
        this.changed(r);
      }
      this.claimsVersion = claims.version;
    }
    for (const r of this.dirty) {
      this.isDirty[r] = 0;
      let i = this.size + r;
      this.min[i] = bound(r);
      for (i >>= 1; i >= 1; i >>= 1) this.pull(i);
    }
    this.dirty.length = 0;
  }

  /** Whether node a comes before node b: the smaller bound, then the first row. */
  before(a: number, b: number): boolean {
    const ma = this.min[a] as number;
    const mb = this.min[b] as number;
    return ma < mb || (ma === mb && (this.row[a] as number) < (this.row[b] as number));
  }

  private pull(i: number): void {
    const from = this.before(2 * i + 1, 2 * i) ? 2 * i + 1 : 2 * i;
    this.min[i] = this.min[from] as number;
    this.row[i] = this.row[from] as number;
  }
}

/**
 * Seats being held for picks right now (selection/claims.ts), by row: a pick on a vacancy with
 * its claims skips them too, rather than re-read the rows every concurrent pick went for.
 */
export class RowClaims {
  /** Per row with claims, how many claims each place has. */
  private readonly rows = new Map<number, Uint8Array>();
  private readonly counts = new Map<number, number>();
  /** Per row, how many times its claims changed; `version`: in all rows. */
  readonly versions: Uint32Array;
  version = 0;

  constructor(private readonly index: BestIndex) {
    this.versions = new Uint32Array(index.rows.length);
  }

  add(seatIds: readonly string[]): void {
    for (const seatId of seatIds) this.change(seatId, 1);
  }

  /** Gives back claims `add` made. */
  remove(seatIds: readonly string[]): void {
    for (const seatId of seatIds) this.change(seatId, -1);
  }

  hasSeat(seatId: string): boolean {
    const slot = this.index.slots.get(seatId);
    return slot !== undefined && this.has(Math.floor(slot / SLOT_STRIDE), slot % SLOT_STRIDE);
  }

  inRow(r: number): boolean {
    return this.rows.has(r);
  }

  has(r: number, at: number): boolean {
    return (this.rows.get(r)?.[at] ?? 0) > 0;
  }

  private change(seatId: string, by: 1 | -1): void {
    const slot = this.index.slots.get(seatId);
    if (slot === undefined) return;
    const r = Math.floor(slot / SLOT_STRIDE);
    const at = slot % SLOT_STRIDE;
    let places = this.rows.get(r);
    if (places === undefined) {
      if (by < 0) return;
      places = new Uint8Array((this.index.rows[r] as BestRow).seats.length);
      this.rows.set(r, places);
    }
    const before = places[at] as number;
    if (before + by < 0 || before + by > 255) return;
    places[at] = before + by;
    this.versions[r] = ((this.versions[r] as number) + 1) >>> 0;
    this.version++;
    const count = (this.counts.get(r) ?? 0) + by;
    if (count > 0) this.counts.set(r, count);
    else {
      this.counts.delete(r);
      this.rows.delete(r);
    }
  }
}

/** A vacancy of the index with `taken` not free and every other seat free. */
export function vacancyOf(index: BestIndex, taken: Iterable<string>): RowVacancy {
  const vacancy = new RowVacancy(index);
  for (const seatId of taken) vacancy.set(seatId, false);
  return vacancy;
}

function matches(query: BestQuery, sectionId: string, price: number): boolean {
  if (query.sectionIds !== undefined && !query.sectionIds.has(sectionId)) return false;
  return query.maxPrice === undefined || price <= query.maxPrice;
}

/**
 * The best seats for the query among those `isAvailable` says are free, or undefined. `vacancy`:
 * of a view in which every seat `isAvailable` says is free is free too, less the seats `claims`
 * has, which `isAvailable` says are not free either (the same answer, faster).
 */
export function pickBest(
  index: BestIndex,
  query: BestQuery,
  isAvailable: (seatId: string) => boolean,
  vacancy?: RowVacancy,
  claims?: RowClaims,
): Pick | undefined {
  if (!query.adjacent) return bestAnywhere(index, query, isAvailable);
  // A query of some sections or prices visits the rows in order, passing over the others.
  const everyRow = query.sectionIds === undefined && query.maxPrice === undefined;
  if (vacancy !== undefined && everyRow) {
    return bestBlockByBound(index, query, isAvailable, vacancy, claims);
  }
  return bestBlock(index, query, isAvailable, vacancy, claims);
}

/**
 * bestBlock's answer for a query of every row, visiting the rows by their bound in the vacancy,
 * smallest first (a tie: the first row first), until the next cannot beat the best block found:
 * only the rows that could win are read, however many are full or farther.
 */
function bestBlockByBound(
  index: BestIndex,
  query: BestQuery,
  isAvailable: (seatId: string) => boolean,
  vacancy: RowVacancy,
  claims: RowClaims | undefined,
): Pick | undefined {
  const tree = vacancy.tree(query.quantity, claims);
  let best: { r: number; start: number; score: number } | undefined;
  // Better than the best block found: a smaller score, or the same one in an earlier row.
  const beats = (score: number, r: number) =>
    best === undefined || score < best.score || (score === best.score && r < best.r);
  // The tree's nodes still to visit, in a binary heap ordered as the tree orders them.
  const heap = (tree.min[1] as number) < Infinity ? [1] : [];
  while (heap.length > 0) {
    const node = popHeap(heap, tree);
    const r = tree.row[node] as number;
    if (!beats(tree.min[node] as number, r)) break;
    if (node < tree.size) {
      pushHeap(heap, tree, 2 * node);
      pushHeap(heap, tree, 2 * node + 1);
      continue;
    }
    const found = bestInRow(index.rows[r] as BestRow, query, isAvailable);
    if (found !== undefined && beats(found.score, r)) best = { r, ...found };
  }
  if (best === undefined) return undefined;
  const seats = (index.rows[best.r] as BestRow).seats.slice(
    best.start,
    best.start + query.quantity,
  );
  return { seatIds: seats.map((seat) => seat.id), score: best.score, adjacent: true };
}

function pushHeap(heap: number[], tree: BoundTree, node: number): void {
  // A subtree bounded by Infinity has no block at all.
  if (!((tree.min[node] as number) < Infinity)) return;
  let i = heap.push(node) - 1;
  while (i > 0) {
    const up = (i - 1) >> 1;
    if (!tree.before(node, heap[up] as number)) break;
    heap[i] = heap[up] as number;
    i = up;
  }
  heap[i] = node;
}

function popHeap(heap: number[], tree: BoundTree): number {
  const top = heap[0] as number;
  const last = heap.pop() as number;
  if (heap.length === 0) return top;
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= heap.length) break;
    const right = child + 1;
    if (right < heap.length && tree.before(heap[right] as number, heap[child] as number)) {
      child = right;
    }
    if (!tree.before(heap[child] as number, last)) break;
    heap[i] = heap[child] as number;
    i = child;
  }
  heap[i] = last;
  return top;
}

function bestBlock(
  index: BestIndex,
  query: BestQuery,
  isAvailable: (seatId: string) => boolean,
  vacancy: RowVacancy | undefined,
  claims: RowClaims | undefined,
): Pick | undefined {
  let best: { row: BestRow; start: number; score: number } | undefined;
  const { rows } = index;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as BestRow;
    // Rows come nearest first: once a row cannot beat the best block, no later row can.
    if (best !== undefined && row.nearest >= best.score) break;
    if (!matches(query, row.sectionId, row.price)) continue;
    // No block of the row beats the best one (a tie keeps the first found, as the search does).
    const bound = vacancy?.bound(r, query.quantity, claims);
    if (bound !== undefined && bound >= (best?.score ?? Infinity)) continue;
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
    // Asked once per seat: a view's lookups are most of a row's cost.
    const free = seat !== undefined && isAvailable(seat.id);
    const continues =
      free && (i === runStart || seat.number === (seats[i - 1] as SeatInfo).number + 1);
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
    runStart = free ? i : i + 1;
  }
  return best;
}

/**
 * The best window of `quantity` consecutive numbers of the row whose seats `free` says are free
 * (by place in the row), the lone-seat rule aside; score Infinity: none. Scores are summed as
 * bestInRow sums them, so that a bound equals the score of the block it stands for.
 */
function bestWindow(
  row: BestRow,
  quantity: number,
  free: (at: number) => boolean,
): { start: number; score: number } {
  const { seats, distances } = row;
  let best = { start: -1, score: Infinity };
  let runStart = 0;
  for (let i = 0; i < seats.length; i++) {
    const consecutive = (seats[i] as SeatInfo).number === (seats[i - 1]?.number ?? NaN) + 1;
    const continues = free(i) && (i === runStart || consecutive);
    if (!continues) {
      runStart = free(i) ? i : i + 1;
      if (!free(i)) continue;
    }
    const start = i - quantity + 1;
    if (start < runStart) continue;
    let sum = 0;
    for (let j = start; j <= i; j++) sum += distances[j] as number;
    const score = sum / quantity;
    if (score < best.score) best = { start, score };
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
