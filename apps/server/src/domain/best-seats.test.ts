import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LayoutSection } from '@ticketmain/protocol';
import {
  buildBestIndex,
  isBlock,
  pickBest,
  RowClaims,
  RowVacancy,
  vacancyOf,
  type BestIndex,
  type BestQuery,
  type Pick,
} from './best-seats.js';
import { loneSeatChecks, loneSeatsLeft } from './lone-seats.js';
import { indexLayout, type SeatInfo } from './venue/layout.js';
import { stadium } from './venue/stadium.js';

/** Sections of rows of seats numbered from 1 (gaps where `gaps` says), x = number, y = row. */
function venue(shape: { price: number; rows: number[] }[], gaps: number[] = []) {
  const sections: LayoutSection[] = shape.map(({ price, rows }, s) => ({
    id: `sec${s}`,
    name: `Section ${s}`,
    price,
    rows: rows.map((length, r) => ({
      label: `R${r}`,
      seats: Array.from({ length }, (_, i) => i + 1)
        .filter((n) => !gaps.includes(n))
        .map((n) => ({ id: `${s}-${r}-${n}`, number: n, x: n + s * 100, y: r * 2 })),
    })),
  }));
  const stage = { x: 0, y: -10, width: 20, height: 4, label: 'Stage' };
  return indexLayout({ name: 'Hall', stage, sections: sections.filter((x) => x.rows.length) });
}

const query = (q: Partial<BestQuery> & { quantity: number }): BestQuery => ({
  adjacent: true,
  singleSeatRule: false,
  ...q,
});

const ids = (pick: { seatIds: string[] } | undefined) => pick?.seatIds;

describe('pickBest, adjacent', () => {
  const index = venue([{ price: 100, rows: [10, 10] }]);
  const best = buildBestIndex(index.seatById, { x: 5.5, y: 0 });

  it('takes the block nearest the focus', () => {
    expect(ids(pickBest(best, query({ quantity: 2 }), () => true))).toEqual(['0-0-5', '0-0-6']);
    expect(ids(pickBest(best, query({ quantity: 3 }), () => true))).toEqual([
      '0-0-4',
      '0-0-5',
      '0-0-6',
    ]);
  });

  it('goes around taken seats and to the next row when the first has no room', () => {
    const taken = new Set(['0-0-3', '0-0-6', '0-0-8']);
    const pick = pickBest(best, query({ quantity: 2 }), (id) => !taken.has(id));
    expect(ids(pick)).toEqual(['0-0-4', '0-0-5']);
    const pick4 = pickBest(best, query({ quantity: 4 }), (id) => !taken.has(id));
    expect(ids(pick4)).toEqual(['0-1-4', '0-1-5', '0-1-6', '0-1-7']);
  });

  it('never spans a gap in the numbers', () => {
    const gapped = venue([{ price: 100, rows: [6] }], [4]);
    const index2 = buildBestIndex(gapped.seatById, { x: 4, y: 0 });
    const pick = pickBest(index2, query({ quantity: 2 }), () => true);
    expect(pick?.seatIds).not.toContain('0-0-4');
    expect(isBlock(pick!.seatIds.map((id) => gapped.seatById.get(id)!))).toBe(true);
  });

  it('leaves no seat alone with the rule on', () => {
    // Free: 1..4 of row 0 only. Best pair 2-3 would leave 1 and 4 alone.
    const free = new Set(['0-0-1', '0-0-2', '0-0-3', '0-0-4']);
    const q = query({ quantity: 2, singleSeatRule: true });
    const pick = pickBest(best, q, (id) => free.has(id));
    expect(ids(pick)).toEqual(['0-0-3', '0-0-4']);
    // Three free in a row: every pair leaves one alone.
    free.delete('0-0-4');
    expect(pickBest(best, q, (id) => free.has(id))).toBeUndefined();
    expect(ids(pickBest(best, { ...q, singleSeatRule: false }, (id) => free.has(id)))).toEqual([
      '0-0-2',
      '0-0-3',
    ]);
  });

  it('answers undefined when nothing matches', () => {
    expect(pickBest(best, query({ quantity: 11 }), () => true)).toBeUndefined();
    expect(pickBest(best, query({ quantity: 1, maxPrice: 99 }), () => true)).toBeUndefined();
    const none = query({ quantity: 1, sectionIds: new Set(['other']) });
    expect(pickBest(best, none, () => true)).toBeUndefined();
  });
});

describe('pickBest, anywhere', () => {
  it('takes the nearest seats wherever they are', () => {
    const index = venue([{ price: 100, rows: [10, 10] }]);
    const best = buildBestIndex(index.seatById, { x: 5, y: 0 });
    const taken = new Set(['0-0-3', '0-0-4', '0-0-6', '0-0-7']);
    const pick = pickBest(best, query({ quantity: 2, adjacent: false }), (id) => !taken.has(id));
    expect(pick?.seatIds.sort()).toEqual(['0-0-5', '0-1-5']);
    expect(pick?.adjacent).toBe(false);
    const together = pickBest(best, query({ quantity: 2, adjacent: false }), () => true);
    expect(together?.adjacent).toBe(true);
  });
});

// Random venues, seat states and queries against a brute force over every candidate.
const shape = fc.array(
  fc.record({
    price: fc.constantFrom(100, 200, 300),
    rows: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 3 }),
  }),
  { minLength: 1, maxLength: 3 },
);

const scenario = fc
  .record({
    shape,
    gaps: fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { maxLength: 2 }),
    takenSeed: fc.array(fc.boolean(), { minLength: 100, maxLength: 100 }),
    quantity: fc.integer({ min: 1, max: 4 }),
    adjacent: fc.boolean(),
    singleSeatRule: fc.boolean(),
    maxPrice: fc.option(fc.constantFrom(100, 200, 300), { nil: undefined }),
    sections: fc.option(fc.uniqueArray(fc.constantFrom('sec0', 'sec1', 'sec2')), {
      nil: undefined,
    }),
    focus: fc.record({ x: fc.integer({ min: -5, max: 250 }), y: fc.integer({ min: -5, max: 8 }) }),
  })
  .filter(({ shape, gaps }) => shape.some((s) => s.rows.some((n) => n > gaps.length)));

/** Every block of `q` consecutive free numbers in a row that suits the query. */
function allBlocks(seats: SeatInfo[], q: BestQuery, free: (id: string) => boolean): SeatInfo[][] {
  const blocks: SeatInfo[][] = [];
  for (const first of seats) {
    const block = [first];
    while (block.length < q.quantity) {
      const next = block[block.length - 1]!.right;
      const seat = next === undefined ? undefined : seats.find((s) => s.id === next);
      if (seat === undefined) break;
      block.push(seat);
    }
    if (block.length === q.quantity && block.every((s) => suits(s, q, free))) blocks.push(block);
  }
  return blocks;
}

function suits(seat: SeatInfo, q: BestQuery, free: (id: string) => boolean): boolean {
  if (!free(seat.id)) return false;
  if (q.maxPrice !== undefined && seat.price > q.maxPrice) return false;
  return q.sectionIds === undefined || q.sectionIds.has(seat.sectionId);
}

describe('pickBest, properties', () => {
  it('picks free, matching seats; side by side when asked; no lone seat with the rule; the best block', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const index = venue(s.shape, s.gaps);
        const seats = [...index.seatById.values()];
        const takenIds = new Set(seats.filter((_, i) => s.takenSeed[i % 100]).map((x) => x.id));
        const free = (id: string) => !takenIds.has(id);
        const q: BestQuery = {
          quantity: s.quantity,
          adjacent: s.adjacent,
          singleSeatRule: s.singleSeatRule,
          maxPrice: s.maxPrice,
          sectionIds: s.sections === undefined ? undefined : new Set(s.sections),
        };
        const pick = pickBest(buildBestIndex(index.seatById, s.focus), q, free);
        const leavesLone = (block: string[]) =>
          loneSeatsLeft(
            loneSeatChecks(block, (id) => index.seatById.get(id)),
            new Set(block),
            free,
          ).length > 0;
        const dist = (seat: SeatInfo) => Math.hypot(seat.x - s.focus.x, seat.y - s.focus.y);
        const mean = (block: SeatInfo[]) =>
          block.reduce((sum, x) => sum + dist(x), 0) / block.length;
        if (pick !== undefined) {
          const picked = pick.seatIds.map((id) => index.seatById.get(id)!);
          expect(new Set(pick.seatIds).size).toBe(q.quantity);
          expect(picked.every((seat) => suits(seat, q, free))).toBe(true);
          expect(pick.adjacent).toBe(isBlock(picked));
          if (q.adjacent) expect(pick.adjacent).toBe(true);
          if (q.singleSeatRule) expect(leavesLone(pick.seatIds)).toBe(false);
          expect(pick.score).toBeCloseTo(mean(picked), 9);
        }
        if (q.adjacent) {
          const blocks = allBlocks(seats, q, free).filter(
            (b) => !q.singleSeatRule || !leavesLone(b.map((x) => x.id)),
          );
          // A block exists exactly when one is picked, and none is better.
          expect(pick !== undefined).toBe(blocks.length > 0);
          const bestScore = Math.min(...blocks.map(mean));
          if (pick !== undefined) expect(pick.score).toBeLessThanOrEqual(bestScore + 1e-9);
        } else if (!q.singleSeatRule) {
          const matching = seats.filter((seat) => suits(seat, q, free));
          expect(pick !== undefined).toBe(matching.length >= q.quantity);
        }
      }),
      { numRuns: 500 },
    );
  });
});

/**
 * The straightforward search best available had before the row vacancy, kept as the model: every
 * row nearest first, every seat of each read, stopping once a row's nearest seat cannot beat the
 * best block found.
 */
function referencePick(
  index: BestIndex,
  query: BestQuery,
  isAvailable: (seatId: string) => boolean,
): Pick | undefined {
  const matches = (sectionId: string, price: number) =>
    (query.sectionIds === undefined || query.sectionIds.has(sectionId)) &&
    (query.maxPrice === undefined || price <= query.maxPrice);
  if (!query.adjacent) return pickBest(index, query, isAvailable);
  const q = query.quantity;
  let best: { seats: SeatInfo[]; score: number } | undefined;
  for (const row of index.rows) {
    if (best !== undefined && row.nearest >= best.score) break;
    if (!matches(row.sectionId, row.price)) continue;
    const { seats, distances } = row;
    let runStart = 0;
    for (let i = 0; i <= seats.length; i++) {
      const seat = seats[i];
      const continues =
        seat !== undefined &&
        isAvailable(seat.id) &&
        (i === runStart || seat.number === seats[i - 1]!.number + 1);
      if (continues) continue;
      for (let start = runStart; start + q <= i; start++) {
        if (query.singleSeatRule && (start - runStart === 1 || i - (start + q) === 1)) continue;
        let sum = 0;
        for (let j = start; j < start + q; j++) sum += distances[j]!;
        const score = sum / q;
        if (best === undefined || score < best.score) {
          best = { seats: seats.slice(start, start + q), score };
        }
      }
      runStart = seat !== undefined && isAvailable(seat.id) ? i : i + 1;
    }
  }
  if (best === undefined) return undefined;
  return { seatIds: best.seats.map((seat) => seat.id), score: best.score, adjacent: true };
}

describe('RowVacancy', () => {
  const index = venue([{ price: 100, rows: [6, 6] }]);
  const best = buildBestIndex(index.seatById, { x: 3.5, y: 0 });
  const row0 = best.rows.findIndex((row) => row.seats[0]!.row === 'R0');

  it("bounds a row's blocks by the seats free in its view, and follows each change", () => {
    const vacancy = new RowVacancy(best);
    const whole = vacancy.bound(row0, 2);
    expect(whole).toBeCloseTo(Math.hypot(0.5, 0), 9);
    vacancy.set('0-0-3', false);
    expect(vacancy.bound(row0, 2)).toBeGreaterThan(whole);
    vacancy.set('0-0-3', true);
    expect(vacancy.bound(row0, 2)).toBe(whole);
    for (const n of [2, 4, 6]) vacancy.set(`0-0-${n}`, false);
    expect(vacancy.bound(row0, 2)).toBe(Infinity);
    expect(vacancy.bound(row0, 1)).toBeLessThan(Infinity);
    vacancy.reset(['0-1-1']);
    expect(vacancy.bound(row0, 2)).toBe(whole);
  });

  it('ignores seats of other venues', () => {
    const vacancy = vacancyOf(best, ['elsewhere']);
    expect(vacancy.bound(row0, 2)).toBe(new RowVacancy(best).bound(row0, 2));
  });

  it('bounds a row with claims on the seats left, and as before once they are given back', () => {
    const vacancy = new RowVacancy(best);
    const claims = new RowClaims(best);
    const whole = vacancy.bound(row0, 2);
    claims.add(['0-0-3', '0-0-4']);
    expect(vacancy.bound(row0, 2, claims)).toBeGreaterThan(whole);
    claims.add(['0-0-3']);
    claims.remove(['0-0-3', '0-0-4']);
    expect(vacancy.bound(row0, 2, claims)).toBeGreaterThan(whole);
    claims.remove(['0-0-3']);
    expect(vacancy.bound(row0, 2, claims)).toBe(whole);
    expect(claims.inRow(row0)).toBe(false);
  });

  it('lets the pick pass over full rows to the first with room', () => {
    const taken = new Set(['0-0-1', '0-0-2', '0-0-3', '0-0-5', '0-0-6']);
    const q = query({ quantity: 2, singleSeatRule: true });
    const pick = pickBest(best, q, (id) => !taken.has(id), vacancyOf(best, taken));
    expect(ids(pick)).toEqual(['0-1-3', '0-1-4']);
  });
});

describe('pickBest with a vacancy, properties', () => {
  // The view (the mirror) reached by random changes; the pick's seats are a part of it (claims
  // and lost races taken away).
  const changes = fc.array(fc.record({ at: fc.nat(99), free: fc.boolean() }), { maxLength: 60 });
  const extra = fc.array(fc.boolean(), { minLength: 100, maxLength: 100 });

  it('picks what the straightforward search picks, whatever the view and its part', () => {
    fc.assert(
      fc.property(scenario, changes, extra, (s, steps, extraSeed) => {
        const index = venue(s.shape, s.gaps);
        const seats = [...index.seatById.values()];
        const best = buildBestIndex(index.seatById, s.focus);
        const taken = new Set(seats.filter((_, i) => s.takenSeed[i % 100]).map((x) => x.id));
        const vacancy = vacancyOf(best, taken);
        const q: BestQuery = {
          quantity: s.quantity,
          adjacent: s.adjacent,
          singleSeatRule: s.singleSeatRule,
          maxPrice: s.maxPrice,
          sectionIds: s.sections === undefined ? undefined : new Set(s.sections),
        };
        // Picks between changes fill the vacancy's cache, which each change must clear.
        for (const [n, { at, free }] of steps.entries()) {
          const seat = seats[at % seats.length]!;
          if (free) taken.delete(seat.id);
          else taken.add(seat.id);
          vacancy.set(seat.id, free);
          if (n % 7 === 0) pickBest(best, { ...q, quantity: 1 + (n % 4) }, () => true, vacancy);
        }
        const inView = (id: string) => !taken.has(id);
        const removed = seats.filter((_, i) => extraSeed[i % 100]).map((x) => x.id);
        const gone = new Set(removed);
        // Some of the seats taken away are claimed, some twice (and given back once).
        const claims = new RowClaims(best);
        const claimed = removed.filter((_, i) => i % 3 !== 0);
        claims.add(claimed);
        claims.add(claimed.slice(0, 2));
        claims.remove(claimed.slice(0, 2));
        for (const free of [inView, (id: string) => inView(id) && !gone.has(id)]) {
          const expected = referencePick(best, q, free);
          expect(pickBest(best, q, free, vacancy)).toEqual(expected);
          expect(pickBest(best, q, free)).toEqual(expected);
        }
        const less = (id: string) => inView(id) && !gone.has(id);
        expect(pickBest(best, q, less, vacancy, claims)).toEqual(referencePick(best, q, less));
      }),
      { numRuns: 500 },
    );
  });
});

describe('pickBest with a vacancy and claims, as a storm fills a stadium', () => {
  it('picks what the plain search picks, pair after pair, with holds in flight and just held', () => {
    const layout = indexLayout(stadium({ seats: 2_000 }));
    const best = buildBestIndex(layout.seatById, layout.focus);
    const vacancy = new RowVacancy(best);
    const recent = new RowClaims(best);
    const held = new Set<string>();
    const claimed = new Set<string>();
    const free = (id: string) => !held.has(id) && !claimed.has(id);
    const inFlight: string[][] = [];
    const justHeld: string[][] = [];
    // Holds of other buyers (another replica, holds by seat) come and go in the view meanwhile.
    const seats = best.byDistance.slice(0, 600).map(({ seat }) => seat.id);
    const others: string[][] = [];
    let seed = 7;
    const random = (n: number) => (seed = (seed * 48_271) % 2_147_483_647) % n;
    let picks = 0;
    for (let n = 0; ; n++) {
      const seat = layout.seatById.get(seats[random(seats.length)]!)!;
      const pair = [seat.id, seat.right ?? seat.id];
      if (n % 3 === 0 && pair.every(free)) {
        for (const id of pair) {
          held.add(id);
          vacancy.set(id, false);
        }
        others.push(pair);
      } else if (n % 4 === 0 && others.length > 0 && n < 3_000) {
        for (const id of others.splice(random(others.length), 1)[0]!) {
          held.delete(id);
          vacancy.set(id, true);
        }
      }
      // Best-of-2 mostly; now and then a 3 or a 4, and a failed hold that gives its seats back.
      const q = query({ quantity: n % 11 === 0 ? 3 + (n % 2) : 2, singleSeatRule: n % 5 !== 0 });
      const pick = pickBest(best, q, free, vacancy, recent);
      expect(pick).toEqual(pickBest(best, q, free));
      if (pick === undefined) {
        if (inFlight.length === 0 && justHeld.length === 0) break;
      } else {
        picks++;
        for (const id of pick.seatIds) claimed.add(id);
        recent.add(pick.seatIds);
        inFlight.push(pick.seatIds);
      }
      // 30 holds in flight and 60 just held (claimed, and in the view) at most.
      if (inFlight.length > 30 || pick === undefined) {
        const done = inFlight.shift();
        if (done !== undefined && n % 13 === 0) {
          recent.remove(done);
          for (const id of done) claimed.delete(id);
        } else if (done !== undefined) {
          for (const id of done) {
            held.add(id);
            vacancy.set(id, false);
          }
          justHeld.push(done);
        }
      }
      if (justHeld.length > 60 || (pick === undefined && inFlight.length === 0)) {
        const old = justHeld.shift() ?? [];
        recent.remove(old);
        for (const id of old) claimed.delete(id);
      }
    }
    expect(picks).toBeGreaterThan(500);
  });
});
