import { describe, expect, it } from 'vitest';
import { smallVenue, snapshot } from '../testing/fixtures';
import {
  cartItems,
  cartTotal,
  endedHolds,
  earliestExpiry,
  expiredSeats,
  expiryMessage,
  formatCountdown,
  formatTotal,
} from './cart';
import { initialLiveState, reduceLive, type LiveAction } from './live';

const venue = smallVenue();
const seat = (id: string) => venue.indexById.get(id) ?? -1;
const at = (ms: number) => new Date(ms).toISOString();
const NOW = Date.parse('2030-01-01T20:00:00.000Z');

function holding(...holds: [string, number][]) {
  const actions: LiveAction[] = [
    {
      type: 'snapshot',
      message: snapshot(
        1,
        holds.map(([id]) => id),
      ),
    },
    { type: 'holdConfirmed', holds: holds.map(([seatId, ms]) => ({ seatId, expiresAt: at(ms) })) },
  ];
  return actions.reduce(reduceLive, initialLiveState(venue));
}

describe('cart items and total', () => {
  it('lists held seats in venue order with section and price', () => {
    const state = holding(['B2', NOW + 60_000], ['A3', NOW + 30_000]);
    const items = cartItems(venue, state.mine, state.pending);
    expect(items.map((i) => [i.seatId, i.label, i.sectionName, i.price])).toEqual([
      ['A3', 'Row A, seat 3', 'Premium', 25_000],
      ['B2', 'Row B, seat 2', 'Standard', 10_000],
    ]);
    expect(cartTotal(items)).toBe(35_000);
    expect(formatTotal(venue, items)).toBe('$350');
  });

  it('shows a hold in flight (without an expiry) and hides a release in flight', () => {
    let state = holding(['A1', NOW + 60_000]);
    state = reduceLive(state, { type: 'holdRequested', seatId: 'C4' });
    state = reduceLive(state, { type: 'releaseRequested', seatId: 'A1' });
    const items = cartItems(venue, state.mine, state.pending);
    expect(items.map((i) => [i.seatId, i.expiresAt])).toEqual([['C4', null]]);
  });
});

describe('countdown', () => {
  it('counts down to the earliest expiry of the cart', () => {
    const state = holding(['A1', NOW + 90_000], ['A2', NOW + 45_000], ['B1', NOW + 300_000]);
    expect(earliestExpiry(state.mine)).toBe(NOW + 45_000);
    expect(earliestExpiry(new Map())).toBeNull();
  });

  it('formats minutes and seconds, rounding up and never below zero', () => {
    expect(formatCountdown(300_000)).toBe('5:00');
    expect(formatCountdown(299_001)).toBe('5:00');
    expect(formatCountdown(299_000)).toBe('4:59');
    expect(formatCountdown(7_000)).toBe('0:07');
    expect(formatCountdown(-5)).toBe('0:00');
  });
});

describe('expiry', () => {
  it('finds the holds that ran out, at the exact expiry too', () => {
    const state = holding(['A1', NOW - 1], ['A2', NOW], ['A3', NOW + 1]);
    expect(expiredSeats(state.mine, state.checkingOut, NOW)).toEqual([seat('A1'), seat('A2')]);
  });

  it('leaves seats being bought alone', () => {
    const state = reduceLive(holding(['A1', NOW - 1], ['A2', NOW - 1]), {
      type: 'checkoutStarted',
      seatIds: ['A1'],
    });
    expect(expiredSeats(state.mine, state.checkingOut, NOW)).toEqual([seat('A2')]);
  });

  it('takes expired seats out of the cart, with a message', () => {
    const state = holding(['A1', NOW - 1], ['B4', NOW + 60_000]);
    const expired = expiredSeats(state.mine, state.checkingOut, NOW);
    const after = reduceLive(state, {
      type: 'holdsExpired',
      seatIds: expired.map((i) => venue.ids[i] ?? ''),
    });
    expect(cartItems(venue, after.mine, after.pending).map((i) => i.seatId)).toEqual(['B4']);
    expect(expiryMessage(venue, expired)).toBe(
      'Your hold on Row A, seat 1 expired; the seat was released.',
    );
  });

  it('words several expiries in one message, and none as null', () => {
    expect(expiryMessage(venue, [seat('A1'), seat('A2'), seat('C3')])).toBe(
      'Your holds on Row A, seat 1, Row A, seat 2 and Row C, seat 3 expired; the seats were released.',
    );
    expect(expiryMessage(venue, [])).toBeNull();
  });
});

describe('holds the server ends', () => {
  it('tells the buyer when the server sweeps an expired hold before the local check', () => {
    const before = holding(['A1', NOW - 100], ['A2', NOW + 120_000]);
    const after = reduceLive(before, {
      type: 'seats',
      message: {
        type: 'seats',
        eventId: 'test-event',
        changes: [{ seq: 2, seatId: 'A1', status: 'AVAILABLE' }],
      },
    });
    expect(endedHolds(venue, before.mine, after.mine, NOW)).toEqual({
      seats: [seat('A1')],
      message: 'Your hold on Row A, seat 1 expired; the seat was released.',
    });
  });

  it('says a hold ended when it goes long before its time (restart, reset)', () => {
    const before = holding(['A1', NOW + 200_000], ['B1', NOW + 200_000]);
    const after = reduceLive(before, {
      type: 'restSnapshot',
      snapshot: { eventId: 'test-event', seq: 1, held: [], sold: [], mine: [] },
    });
    expect(endedHolds(venue, before.mine, after.mine, NOW).message).toBe(
      'Your hold on Row A, seat 1 and Row B, seat 1 ended; they are no longer held for you.',
    );
  });

  it('says nothing when the cart did not shrink', () => {
    const state = holding(['A1', NOW]);
    expect(endedHolds(venue, state.mine, state.mine, NOW)).toEqual({ seats: [], message: null });
  });
});
