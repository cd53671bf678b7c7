import { describe, expect, it } from 'vitest';
import { change, EVENT_ID, seats, smallVenue, snapshot } from '../testing/fixtures';
import {
  displayStatus,
  fillDisplay,
  initialLiveState,
  reduceLive,
  Status,
  type LiveAction,
  type LiveState,
} from './live';

const venue = smallVenue();
const seat = (id: string) => venue.indexById.get(id) ?? -1;
const T = '2030-01-01T20:05:00.000Z';

function run(...actions: LiveAction[]): LiveState {
  return actions.reduce(reduceLive, initialLiveState(venue));
}

function show(state: LiveState, id: string) {
  return displayStatus(state, seat(id));
}

describe('snapshots and deltas', () => {
  it('takes its base from a snapshot', () => {
    const state = run({ type: 'snapshot', message: snapshot(7, ['A1'], ['B2']) });
    expect(state.seq).toBe(7);
    expect(show(state, 'A1')).toBe(Status.Held);
    expect(show(state, 'B2')).toBe(Status.Sold);
    expect(show(state, 'C4')).toBe(Status.Available);
  });

  it('ignores deltas before the first snapshot', () => {
    const state = run({ type: 'seats', message: seats(change(1, 'A1', 'HELD')) });
    expect(state.seq).toBeNull();
    expect(show(state, 'A1')).toBe(Status.Available);
  });

  it('applies deltas in order, across frames', () => {
    const state = run(
      { type: 'snapshot', message: snapshot(10) },
      { type: 'seats', message: seats(change(11, 'A1', 'HELD'), change(12, 'A2', 'HELD')) },
      { type: 'seats', message: seats(change(13, 'A1', 'SOLD'), change(14, 'A2', 'AVAILABLE')) },
    );
    expect(state.seq).toBe(14);
    expect(show(state, 'A1')).toBe(Status.Sold);
    expect(show(state, 'A2')).toBe(Status.Available);
    expect(state.needsResync).toBe(false);
  });

  it('never mutates the status array of an earlier state', () => {
    const before = run({ type: 'snapshot', message: snapshot(1) });
    const after = reduceLive(before, { type: 'seats', message: seats(change(2, 'A1', 'HELD')) });
    expect(before.status[seat('A1')]).toBe(Status.Available);
    expect(after.status[seat('A1')]).toBe(Status.Held);
  });

  it('ignores duplicate and old deltas, returning the same state', () => {
    const base = run(
      { type: 'snapshot', message: snapshot(5) },
      { type: 'seats', message: seats(change(6, 'A1', 'HELD')) },
    );
    const again = reduceLive(base, {
      type: 'seats',
      message: seats(change(4, 'B1', 'SOLD'), change(6, 'A1', 'AVAILABLE')),
    });
    expect(again).toBe(base);
    // A frame that overlaps: the known part is skipped, the new part applied.
    const overlap = reduceLive(base, {
      type: 'seats',
      message: seats(change(6, 'A1', 'AVAILABLE'), change(7, 'B1', 'HELD')),
    });
    expect(overlap.seq).toBe(7);
    expect(show(overlap, 'A1')).toBe(Status.Held);
    expect(show(overlap, 'B1')).toBe(Status.Held);
  });

  it('detects a gap, stops applying deltas, and waits for a snapshot', () => {
    const gapped = run(
      { type: 'snapshot', message: snapshot(5) },
      { type: 'seats', message: seats(change(6, 'A1', 'HELD'), change(8, 'A2', 'HELD')) },
    );
    expect(gapped.needsResync).toBe(true);
    expect(gapped.seq).toBe(6);
    expect(show(gapped, 'A1')).toBe(Status.Held);
    expect(show(gapped, 'A2')).toBe(Status.Available);
    const ignored = reduceLive(gapped, { type: 'seats', message: seats(change(7, 'A3', 'HELD')) });
    expect(ignored).toBe(gapped);
    const resynced = reduceLive(gapped, { type: 'snapshot', message: snapshot(9, ['A2'], ['A3']) });
    expect(resynced.needsResync).toBe(false);
    expect(resynced.seq).toBe(9);
    expect(show(resynced, 'A1')).toBe(Status.Available);
    expect(show(resynced, 'A3')).toBe(Status.Sold);
  });

  it('on a server resync, waits for the snapshot, whose seq may restart', () => {
    const state = run(
      { type: 'snapshot', message: snapshot(500, ['A1']) },
      { type: 'resync' },
      { type: 'seats', message: seats(change(501, 'A2', 'HELD')) },
    );
    expect(state.needsResync).toBe(true);
    expect(show(state, 'A2')).toBe(Status.Available);
    const restarted = reduceLive(state, { type: 'snapshot', message: snapshot(0, [], ['C1']) });
    expect(restarted.seq).toBe(0);
    expect(show(restarted, 'A1')).toBe(Status.Available);
    const next = reduceLive(restarted, { type: 'seats', message: seats(change(1, 'C2', 'HELD')) });
    expect(show(next, 'C2')).toBe(Status.Held);
  });

  it('skips seat ids it does not know but still advances the sequence', () => {
    const state = run(
      { type: 'snapshot', message: snapshot(1, ['ZZ9']) },
      { type: 'seats', message: seats(change(2, 'nope', 'HELD'), change(3, 'A1', 'HELD')) },
    );
    expect(state.seq).toBe(3);
    expect(show(state, 'A1')).toBe(Status.Held);
  });
});

describe('optimistic holds and releases', () => {
  const live = () => run({ type: 'snapshot', message: snapshot(1) });

  it('shows a requested hold as mine at once, then keeps it when confirmed', () => {
    const requested = reduceLive(live(), { type: 'holdRequested', seatId: 'A1' });
    expect(show(requested, 'A1')).toBe(Status.HeldByMe);
    // The HELD delta of our own hold may come before the HTTP answer.
    const echoed = reduceLive(requested, {
      type: 'seats',
      message: seats(change(2, 'A1', 'HELD')),
    });
    expect(show(echoed, 'A1')).toBe(Status.HeldByMe);
    const confirmed = reduceLive(echoed, {
      type: 'holdConfirmed',
      holds: [{ seatId: 'A1', expiresAt: T }],
    });
    expect(confirmed.pending.size).toBe(0);
    expect(confirmed.mine.get(seat('A1'))).toBe(Date.parse(T));
    expect(show(confirmed, 'A1')).toBe(Status.HeldByMe);
  });

  it('rolls a refused hold back to what the server says', () => {
    const requested = reduceLive(live(), { type: 'holdRequested', seatId: 'A1' });
    const othersHold = reduceLive(requested, {
      type: 'seats',
      message: seats(change(2, 'A1', 'HELD')),
    });
    expect(show(othersHold, 'A1')).toBe(Status.HeldByMe);
    const rolledBack = reduceLive(othersHold, { type: 'holdRejected', seatIds: ['A1'] });
    expect(show(rolledBack, 'A1')).toBe(Status.Held);
    expect(rolledBack.mine.size).toBe(0);

    const refusedEarly = reduceLive(requested, { type: 'holdRejected', seatIds: ['A1'] });
    expect(show(refusedEarly, 'A1')).toBe(Status.Available);
  });

  it('keeps a pending hold through a snapshot that arrives meanwhile', () => {
    const requested = reduceLive(live(), { type: 'holdRequested', seatId: 'A1' });
    const snap = reduceLive(requested, { type: 'snapshot', message: snapshot(5, [], ['B1']) });
    expect(snap.pending.get(seat('A1'))).toBe('hold');
    expect(show(snap, 'A1')).toBe(Status.HeldByMe);
    expect(show(snap, 'B1')).toBe(Status.Sold);
    const confirmed = reduceLive(snap, {
      type: 'holdConfirmed',
      holds: [{ seatId: 'A1', expiresAt: T }],
    });
    // A snapshot taken before our hold went through still shows A1 available: it stays ours.
    const stale = reduceLive(confirmed, { type: 'snapshot', message: snapshot(5) });
    expect(show(stale, 'A1')).toBe(Status.HeldByMe);
  });

  it('releases optimistically and drops the seat when confirmed', () => {
    const held = run(
      { type: 'snapshot', message: snapshot(1, ['A1']) },
      { type: 'holdConfirmed', holds: [{ seatId: 'A1', expiresAt: T }] },
    );
    const requested = reduceLive(held, { type: 'releaseRequested', seatId: 'A1' });
    expect(show(requested, 'A1')).toBe(Status.Available);
    const confirmed = reduceLive(requested, { type: 'releaseConfirmed', seatId: 'A1' });
    expect(confirmed.mine.size).toBe(0);
    expect(confirmed.pending.size).toBe(0);
    // The server's AVAILABLE echo is still on its way: the seat shows available, not "held".
    expect(confirmed.status[seat('A1')]).toBe(Status.Held);
    expect(show(confirmed, 'A1')).toBe(Status.Available);
    const settled = reduceLive(confirmed, {
      type: 'seats',
      message: seats(change(2, 'A1', 'AVAILABLE')),
    });
    expect(settled.released.size).toBe(0);
    expect(show(settled, 'A1')).toBe(Status.Available);
  });

  it('shows a released seat held again as soon as the next change says so', () => {
    const state = run(
      { type: 'snapshot', message: snapshot(1, ['A1']) },
      { type: 'holdConfirmed', holds: [{ seatId: 'A1', expiresAt: T }] },
      { type: 'releaseRequested', seatId: 'A1' },
      { type: 'seats', message: seats(change(2, 'A1', 'AVAILABLE')) },
      { type: 'seats', message: seats(change(3, 'A1', 'HELD')) },
      { type: 'releaseConfirmed', seatId: 'A1' },
    );
    // The echo came before our 204, and another buyer took the seat after it.
    expect(show(state, 'A1')).toBe(Status.Held);
    expect(state.released.size).toBe(0);
    const expired = run(
      { type: 'snapshot', message: snapshot(1, ['A2']) },
      { type: 'holdConfirmed', holds: [{ seatId: 'A2', expiresAt: T }] },
      { type: 'holdsExpired', seatIds: ['A2'] },
    );
    expect(show(expired, 'A2')).toBe(Status.Available);
    const taken = reduceLive(expired, { type: 'seats', message: seats(change(2, 'A2', 'HELD')) });
    expect(show(taken, 'A2')).toBe(Status.Held);
  });

  it('keeps a seat held again after a release whose echo arrives late', () => {
    // Release, then hold the same seat again before the release's AVAILABLE echo arrives (the
    // server gathers changes for WS_FLUSH_INTERVAL_MS): the echo must not end the new hold.
    const held = run(
      { type: 'snapshot', message: snapshot(1) },
      { type: 'holdRequested', seatId: 'A1' },
      { type: 'holdConfirmed', holds: [{ seatId: 'A1', expiresAt: T }] },
      { type: 'seats', message: seats(change(2, 'A1', 'HELD')) },
      { type: 'releaseRequested', seatId: 'A1' },
      { type: 'releaseConfirmed', seatId: 'A1' },
      { type: 'holdRequested', seatId: 'A1' },
      { type: 'holdConfirmed', holds: [{ seatId: 'A1', expiresAt: T }] },
    );
    const oneFrame = reduceLive(held, {
      type: 'seats',
      message: seats(change(3, 'A1', 'AVAILABLE'), change(4, 'A1', 'HELD')),
    });
    expect(oneFrame.mine.get(seat('A1'))).toBe(Date.parse(T));
    expect(show(oneFrame, 'A1')).toBe(Status.HeldByMe);
    const echo = reduceLive(held, { type: 'seats', message: seats(change(3, 'A1', 'AVAILABLE')) });
    expect(show(echo, 'A1')).toBe(Status.HeldByMe);
    const twoFrames = reduceLive(echo, { type: 'seats', message: seats(change(4, 'A1', 'HELD')) });
    expect(show(twoFrames, 'A1')).toBe(Status.HeldByMe);
    expect(twoFrames.released.size).toBe(0);
    // A later AVAILABLE is the end of the new hold (its expiry), in the same frame or later.
    const ended = reduceLive(held, {
      type: 'seats',
      message: seats(
        change(3, 'A1', 'AVAILABLE'),
        change(4, 'A1', 'HELD'),
        change(5, 'A1', 'AVAILABLE'),
      ),
    });
    expect(ended.mine.size).toBe(0);
    expect(show(ended, 'A1')).toBe(Status.Available);
    // Refused instead (someone took it meanwhile): the server's word shows, not "available".
    const refused = run(
      { type: 'snapshot', message: snapshot(1, ['A1']) },
      { type: 'holdConfirmed', holds: [{ seatId: 'A1', expiresAt: T }] },
      { type: 'releaseRequested', seatId: 'A1' },
      { type: 'releaseConfirmed', seatId: 'A1' },
      { type: 'holdRequested', seatId: 'A1' },
      { type: 'holdRejected', seatIds: ['A1'] },
    );
    expect(show(refused, 'A1')).toBe(Status.Held);
  });

  it('rolls back a failed release, unless the server says the hold is gone', () => {
    const held = run(
      { type: 'snapshot', message: snapshot(1, ['A1']) },
      { type: 'holdConfirmed', holds: [{ seatId: 'A1', expiresAt: T }] },
      { type: 'releaseRequested', seatId: 'A1' },
    );
    const failed = reduceLive(held, { type: 'releaseRejected', seatId: 'A1', stillMine: true });
    expect(show(failed, 'A1')).toBe(Status.HeldByMe);
    const gone = reduceLive(held, { type: 'releaseRejected', seatId: 'A1', stillMine: false });
    expect(gone.mine.size).toBe(0);
  });

  it('drops a hold of ours that the server ends (expiry sweep, reset)', () => {
    const held = run(
      { type: 'snapshot', message: snapshot(1, ['A1']) },
      { type: 'holdConfirmed', holds: [{ seatId: 'A1', expiresAt: T }] },
      { type: 'seats', message: seats(change(2, 'A1', 'AVAILABLE')) },
    );
    expect(held.mine.size).toBe(0);
    expect(show(held, 'A1')).toBe(Status.Available);
  });

  it('forgets expired holds on holdsExpired', () => {
    const held = run(
      { type: 'snapshot', message: snapshot(1, ['A1', 'A2']) },
      {
        type: 'holdConfirmed',
        holds: [
          { seatId: 'A1', expiresAt: T },
          { seatId: 'A2', expiresAt: T },
        ],
      },
      { type: 'holdsExpired', seatIds: ['A1'] },
    );
    expect([...held.mine.keys()]).toEqual([seat('A2')]);
  });
});

describe('REST snapshot with mine', () => {
  it('replaces the base and mine when at least as new', () => {
    const state = run(
      { type: 'snapshot', message: snapshot(3) },
      {
        type: 'restSnapshot',
        snapshot: {
          eventId: EVENT_ID,
          seq: 4,
          held: ['A1', 'B1'],
          sold: [],
          mine: [{ seatId: 'A1', expiresAt: T }],
        },
      },
    );
    expect(state.seq).toBe(4);
    expect(show(state, 'A1')).toBe(Status.HeldByMe);
    expect(show(state, 'B1')).toBe(Status.Held);
  });

  it('after a server restart, empties mine of holds the server lost', () => {
    const before = run(
      { type: 'snapshot', message: snapshot(40, ['A1']) },
      { type: 'holdConfirmed', holds: [{ seatId: 'A1', expiresAt: T }] },
      { type: 'resync' },
      { type: 'snapshot', message: snapshot(0) },
    );
    expect(show(before, 'A1')).toBe(Status.HeldByMe); // the snapshot alone cannot tell
    const after = reduceLive(before, {
      type: 'restSnapshot',
      snapshot: { eventId: EVENT_ID, seq: 0, held: [], sold: [], mine: [] },
    });
    expect(after.mine.size).toBe(0);
    expect(show(after, 'A1')).toBe(Status.Available);
  });

  it('keeps holds confirmed while the request was in flight', () => {
    const state = run(
      { type: 'snapshot', message: snapshot(3) },
      { type: 'holdConfirmed', holds: [{ seatId: 'C4', expiresAt: T }] },
      {
        type: 'restSnapshot',
        snapshot: { eventId: EVENT_ID, seq: 3, held: [], sold: [], mine: [] },
        keep: ['C4'],
      },
    );
    expect(show(state, 'C4')).toBe(Status.HeldByMe);
  });

  it('from an older snapshot only learns holds, never rewinds the base', () => {
    const state = run(
      { type: 'snapshot', message: snapshot(9, ['A1', 'A2']) },
      {
        type: 'restSnapshot',
        snapshot: {
          eventId: EVENT_ID,
          seq: 8,
          held: ['A1'],
          sold: ['C1'],
          mine: [{ seatId: 'A2', expiresAt: T }],
        },
      },
    );
    expect(state.seq).toBe(9);
    expect(show(state, 'C1')).toBe(Status.Available);
    expect(show(state, 'A2')).toBe(Status.HeldByMe);
    expect(show(state, 'A1')).toBe(Status.Held);
  });
});

describe('checkout and seats sold to me', () => {
  const holding = () =>
    run(
      { type: 'snapshot', message: snapshot(1, ['A1', 'A2']) },
      {
        type: 'holdConfirmed',
        holds: [
          { seatId: 'A1', expiresAt: T },
          { seatId: 'A2', expiresAt: T },
        ],
      },
      { type: 'checkoutStarted', seatIds: ['A1', 'A2'] },
    );

  it('keeps seats in checkout when their SOLD delta beats the HTTP answer', () => {
    const early = reduceLive(holding(), {
      type: 'seats',
      message: seats(change(2, 'A1', 'SOLD'), change(3, 'A2', 'SOLD')),
    });
    expect(early.mine.size).toBe(2);
    expect(show(early, 'A1')).toBe(Status.HeldByMe);
    const placed = reduceLive(early, { type: 'orderPlaced', seatIds: ['A1', 'A2'] });
    expect(placed.mine.size).toBe(0);
    expect(show(placed, 'A1')).toBe(Status.SoldToMe);
    expect(show(placed, 'A2')).toBe(Status.SoldToMe);
  });

  it('shows an order as sold to me before its delta arrives', () => {
    const placed = reduceLive(holding(), { type: 'orderPlaced', seatIds: ['A1', 'A2'] });
    expect(show(placed, 'A1')).toBe(Status.SoldToMe);
  });

  it('drops the seats the server says we lost when checkout fails', () => {
    const failed = reduceLive(holding(), {
      type: 'checkoutFailed',
      seatIds: ['A1', 'A2'],
      lost: ['A2'],
    });
    expect(failed.checkingOut.size).toBe(0);
    expect([...failed.mine.keys()]).toEqual([seat('A1')]);
  });

  it('shows remembered purchases as sold to me only while the server says sold', () => {
    const state = run(
      { type: 'soldToMeLoaded', seatIds: ['B1', 'B2'] },
      { type: 'snapshot', message: snapshot(1, [], ['B1']) },
    );
    expect(show(state, 'B1')).toBe(Status.SoldToMe);
    expect(show(state, 'B2')).toBe(Status.Available); // e.g. the event was reset
  });
});

describe('fillDisplay', () => {
  it('agrees with displayStatus on every seat', () => {
    const state = run(
      { type: 'soldToMeLoaded', seatIds: ['C1'] },
      { type: 'snapshot', message: snapshot(1, ['A1', 'A2', 'B3'], ['C1', 'C2']) },
      { type: 'holdConfirmed', holds: [{ seatId: 'A2', expiresAt: T }] },
      { type: 'holdRequested', seatId: 'A4' },
      { type: 'holdConfirmed', holds: [{ seatId: 'B3', expiresAt: T }] },
      { type: 'releaseRequested', seatId: 'B3' },
    );
    const out = new Uint8Array(venue.count);
    fillDisplay(state, out);
    for (let i = 0; i < venue.count; i++) expect(out[i]).toBe(displayStatus(state, i));
    expect(out[seat('A1')]).toBe(Status.Held);
    expect(out[seat('A2')]).toBe(Status.HeldByMe);
    expect(out[seat('A4')]).toBe(Status.HeldByMe);
    expect(out[seat('B3')]).toBe(Status.Available);
    expect(out[seat('C1')]).toBe(Status.SoldToMe);
    expect(out[seat('C2')]).toBe(Status.Sold);
  });
});
