import { describe, expect, it } from 'vitest';
import { assertSeatCount, decideHold, type SeatView } from './hold-rules.js';

function view(sold: string[], holders: Record<string, string>): SeatView {
  return {
    isSold: (seatId) => sold.includes(seatId),
    holderOf: (seatId) => holders[seatId],
    heldBy: (sessionId) => Object.values(holders).filter((h) => h === sessionId).length,
  };
}

describe('decideHold', () => {
  it('lets a hold of free seats and of seats the session holds already proceed', () => {
    expect(decideHold(view([], { b: 'me' }), 'me', ['a', 'b'], 2)).toBeNull();
  });

  it('refuses all of them when one is sold or held by another, listing both in request order', () => {
    const seats = view(['s2', 's1'], { h: 'other', m: 'me' });
    expect(decideHold(seats, 'me', ['free', 's1', 'h', 'm', 's2'], 8)).toEqual({
      ok: false,
      reason: 'TAKEN',
      sold: ['s1', 's2'],
      held: ['h'],
    });
  });

  it('counts the seats the session would hold afterwards against the limit', () => {
    const seats = view([], { a: 'me', b: 'me' });
    expect(decideHold(seats, 'me', ['a', 'c'], 3)).toBeNull();
    expect(decideHold(seats, 'me', ['c', 'd'], 3)).toEqual({
      ok: false,
      reason: 'HOLD_LIMIT',
      wouldHold: 4,
    });
  });

  it('prefers TAKEN to HOLD_LIMIT', () => {
    expect(decideHold(view(['x'], {}), 'me', ['x', 'y', 'z'], 1)).toMatchObject({
      reason: 'TAKEN',
    });
  });
});

describe('assertSeatCount', () => {
  it('refuses more seat ids than the limit with a 400', () => {
    expect(() => assertSeatCount(['a', 'b'], 2)).not.toThrow();
    expect(() => assertSeatCount(['a', 'b', 'c'], 2)).toThrow(/at most 2/);
  });
});
