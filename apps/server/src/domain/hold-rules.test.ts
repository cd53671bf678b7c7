import { describe, expect, it } from 'vitest';
import { assertSeatCount, decideHold, type HoldLimits, type SeatView } from './hold-rules.js';

function view(
  sold: string[],
  holders: Record<string, string>,
  others: { bought?: Record<string, number>; fromAddress?: Record<string, number> } = {},
): SeatView {
  return {
    isSold: (seatId) => sold.includes(seatId),
    holderOf: (seatId) => holders[seatId],
    heldBy: (sessionId) => Object.values(holders).filter((h) => h === sessionId).length,
    boughtBy: (sessionId) => others.bought?.[sessionId] ?? 0,
    heldFrom: (address) => others.fromAddress?.[address] ?? 0,
    isAvailable: (seatId) => !sold.includes(seatId) && holders[seatId] === undefined,
  };
}

/** Limits with the address cap off. */
const max = (maxSeats: number): HoldLimits => ({ maxSeats, address: '', maxPerAddress: 0 });

describe('decideHold', () => {
  it('lets a hold of free seats and of seats the session holds already proceed', () => {
    expect(decideHold(view([], { b: 'me' }), 'me', ['a', 'b'], max(2))).toBeNull();
  });

  it('refuses all of them when one is sold or held by another, listing both in request order', () => {
    const seats = view(['s2', 's1'], { h: 'other', m: 'me' });
    expect(decideHold(seats, 'me', ['free', 's1', 'h', 'm', 's2'], max(8))).toEqual({
      ok: false,
      reason: 'TAKEN',
      sold: ['s1', 's2'],
      held: ['h'],
    });
  });

  it('counts the seats the session would hold afterwards against the limit', () => {
    const seats = view([], { a: 'me', b: 'me' });
    expect(decideHold(seats, 'me', ['a', 'c'], max(3))).toBeNull();
    expect(decideHold(seats, 'me', ['c', 'd'], max(3))).toEqual({
      ok: false,
      reason: 'HOLD_LIMIT',
      wouldHold: 4,
    });
  });

  it('prefers TAKEN to HOLD_LIMIT', () => {
    expect(decideHold(view(['x'], {}), 'me', ['x', 'y', 'z'], max(1))).toMatchObject({
      reason: 'TAKEN',
    });
  });
});

describe('decideHold: bought seats and the address cap', () => {
  it('counts the seats the session bought before against its limit', () => {
    const seats = view([], { a: 'me' }, { bought: { me: 6 } });
    expect(decideHold(seats, 'me', ['b'], max(8))).toBeNull();
    expect(decideHold(seats, 'me', ['b', 'c'], max(8))).toEqual({
      ok: false,
      reason: 'HOLD_LIMIT',
      wouldHold: 9,
    });
    // A session that bought its limit cannot hold one more.
    expect(decideHold(view([], {}, { bought: { me: 8 } }), 'me', ['z'], max(8))).toMatchObject({
      reason: 'HOLD_LIMIT',
    });
  });

  it('caps the live holds of one address, whoever holds them', () => {
    const seats = view([], { a: 'me' }, { fromAddress: { '203.0.113.7': 23 } });
    const limits = { maxSeats: 8, address: '203.0.113.7', maxPerAddress: 24 };
    expect(decideHold(seats, 'me', ['b'], limits)).toBeNull();
    expect(decideHold(seats, 'me', ['b', 'c'], limits)).toEqual({
      ok: false,
      reason: 'ADDRESS_LIMIT',
      wouldHold: 25,
    });
    // Seats the session holds already add nothing; another address is not counted.
    expect(decideHold(seats, 'me', ['a'], { ...limits, maxPerAddress: 1 })).toBeNull();
    expect(decideHold(seats, 'me', ['b', 'c'], { ...limits, address: '203.0.113.8' })).toBeNull();
    expect(decideHold(seats, 'me', ['b', 'c'], { ...limits, maxPerAddress: 0 })).toBeNull();
  });

  it('prefers HOLD_LIMIT to ADDRESS_LIMIT', () => {
    const seats = view([], {}, { fromAddress: { x: 24 } });
    expect(
      decideHold(seats, 'me', ['a', 'b'], { maxSeats: 1, address: 'x', maxPerAddress: 24 }),
    ).toMatchObject({ reason: 'HOLD_LIMIT' });
  });
});

describe('assertSeatCount', () => {
  it('refuses more seat ids than the limit with a 400', () => {
    expect(() => assertSeatCount(['a', 'b'], 2)).not.toThrow();
    expect(() => assertSeatCount(['a', 'b', 'c'], 2)).toThrow(/at most 2/);
  });
});
