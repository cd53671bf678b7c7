import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLone, loneSeatChecks, loneSeatsLeft, type RowNeighbours } from './lone-seats.js';

/** One row of seats 1..n, ids `s<n>`. */
function row(n: number): (seatId: string) => RowNeighbours | undefined {
  return (seatId) => {
    const number = Number(seatId.slice(1));
    if (!(number >= 1 && number <= n)) return undefined;
    return {
      ...(number > 1 ? { left: `s${number - 1}` } : {}),
      ...(number < n ? { right: `s${number + 1}` } : {}),
    };
  };
}

/** What a hold of `seatIds` in a row of n seats would leave alone, `taken` not AVAILABLE. */
function leftAlone(n: number, taken: string[], seatIds: string[]): string[] {
  const checks = loneSeatChecks(seatIds, row(n));
  return loneSeatsLeft(checks, new Set(seatIds), (id) => !taken.includes(id));
}

describe('loneSeatChecks', () => {
  it('lists the seats next to the requested ones, once, with their neighbours', () => {
    expect(loneSeatChecks(['s2', 's3'], row(5))).toEqual([
      { seatId: 's1', left: '', right: 's2' },
      { seatId: 's4', left: 's3', right: 's5' },
    ]);
    expect(loneSeatChecks(['s1', 's3'], row(3))).toEqual([
      { seatId: 's2', left: 's1', right: 's3' },
    ]);
  });
});

describe('loneSeatsLeft', () => {
  it('refuses leaving the seat at a row end alone', () => {
    expect(leftAlone(4, [], ['s2', 's3'])).toEqual(['s1', 's4']);
    expect(leftAlone(4, [], ['s2'])).toEqual(['s1']);
  });

  it('refuses leaving a seat alone between two taken ones', () => {
    expect(leftAlone(5, ['s1'], ['s3'])).toEqual(['s2']);
  });

  it('allows holding both seats, or a seat that is already alone staying so', () => {
    expect(leftAlone(5, ['s1'], ['s2', 's3'])).toEqual([]);
    expect(leftAlone(4, [], ['s1', 's2'])).toEqual([]);
    // s1 was already alone (s2 taken): a hold elsewhere in the row is not refused for it.
    expect(leftAlone(4, ['s2'], ['s3', 's4'])).toEqual([]);
  });

  it('agrees with isLone before and after, on any row and any hold', () => {
    const n = 8;
    const seat = fc.integer({ min: 1, max: n }).map((i) => `s${i}`);
    fc.assert(
      fc.property(fc.uniqueArray(seat), fc.uniqueArray(seat, { minLength: 1 }), (taken, hold) => {
        const before = (id: string) => !taken.includes(id);
        const after = (id: string) => before(id) && !hold.includes(id);
        const expected = Array.from({ length: n }, (_, i) => `s${i + 1}`).filter((id) => {
          const near = row(n)(id) ?? {};
          const hadFree = [near.left, near.right].some((x) => x !== undefined && before(x));
          return after(id) && hadFree && isLone(id, near, after);
        });
        expect(leftAlone(n, taken, hold).sort()).toEqual(expected.sort());
      }),
    );
  });
});
