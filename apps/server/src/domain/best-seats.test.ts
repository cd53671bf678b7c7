import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LayoutSection } from '@ticketmain/protocol';
import { buildBestIndex, isBlock, pickBest, type BestQuery } from './best-seats.js';
import { loneSeatChecks, loneSeatsLeft } from './lone-seats.js';
import { indexLayout, type SeatInfo } from './venue/layout.js';

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
