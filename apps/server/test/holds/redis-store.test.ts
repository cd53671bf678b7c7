// The Redis hold store against a real Redis: every operation of src/holds/README.md.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RedisHoldStore } from '../../src/holds/redis/store.js';
import type { HoldRequestArgs } from '../../src/holds/types.js';
import { Keys } from '../../src/holds/keys.js';
import { collect, newStore, settle } from './redis-helpers.js';
import { sales } from './recorder.js';

const EV = 'ev1';
const TTL = 60_000;
const SHORT_TTL = 60;

let store: RedisHoldStore;
let cleanup: () => Promise<void>;
let redis: ReturnType<typeof newStore>['redis'];
let prefix: string;

beforeEach(async () => {
  ({ store, cleanup, redis, prefix } = newStore());
  await store.restore(EV, []);
});
afterEach(() => cleanup());

const hold = (sessionId: string, seatIds: string[], extra: Partial<HoldRequestArgs> = {}) =>
  store.hold({ eventId: EV, sessionId, seatIds, ttlMs: TTL, maxSeats: 8, ...extra });

async function snap(sessionId?: string) {
  const s = await store.snapshot(EV, sessionId);
  if (!s.ok) throw new Error('not ready');
  return { ...s, held: [...s.held].sort(), sold: [...s.sold].sort() };
}

describe('not ready', () => {
  it('answers NOT_READY for every state operation until restore, and changes nothing', async () => {
    const notReady = { ok: false, reason: 'NOT_READY' };
    const ev = 'fresh';
    const args = { eventId: ev, sessionId: 's', seatIds: ['A1'], ttlMs: TTL, maxSeats: 8 };
    expect(await store.hold(args)).toEqual(notReady);
    expect(await store.release(ev, 's', 'A1')).toEqual(notReady);
    expect(await store.beginCheckout(ev, 's', ['A1'], 1000)).toEqual(notReady);
    expect(await store.abortCheckout(ev, 's', [{ seatId: 'A1', expiresAt: 1 }])).toEqual(notReady);
    expect(await store.markSold(ev, ['A1'], 'buyer')).toEqual(notReady);
    expect(await store.markSold(ev, [], 'buyer')).toEqual(notReady);
    expect(await store.expire(ev, 10)).toEqual(notReady);
    expect(await store.snapshot(ev)).toEqual(notReady);
    expect((await store.counts([ev, EV])).get(ev)).toBeNull();
    expect(await store.sequence(ev)).toBeNull();
    await store.restore(ev, sales(['B1']));
    const snapshot = await store.snapshot(ev);
    expect(snapshot).toEqual({
      ok: true,
      seq: 1,
      epoch: expect.stringMatching(/^\d{16}$/),
      held: [],
      sold: ['B1'],
      mine: [],
    });
    expect(await store.sequence(ev)).toEqual({ seq: 1, epoch: snapshot.ok && snapshot.epoch });
  });
});

describe('hold', () => {
  it('holds all requested seats in request order and shows them in the snapshot', async () => {
    const before = Date.now();
    const outcome = await hold('s1', ['B2', 'A1']);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.holds.map((h) => h.seatId)).toEqual(['B2', 'A1']);
    for (const h of outcome.holds)
      expect(Math.abs(h.expiresAt - (before + TTL))).toBeLessThan(2000);
    const s = await snap('s1');
    expect(s).toMatchObject({ seq: 2, held: ['A1', 'B2'], sold: [] });
    expect([...s.mine].sort((a, b) => a.seatId.localeCompare(b.seatId))).toEqual(
      [...outcome.holds].sort((a, b) => a.seatId.localeCompare(b.seatId)),
    );
    expect((await snap('s2')).mine).toEqual([]);
    expect((await snap()).mine).toEqual([]);
  });

  it('is all-or-nothing and lists conflicts as sold and held, in request order', async () => {
    await store.markSold(EV, ['S2', 'S1'], 'buyer');
    await hold('other', ['H1', 'H2']);
    const seqBefore = (await snap()).seq;
    const outcome = await hold('me', ['F1', 'H2', 'S1', 'H1', 'S2']);
    expect(outcome).toEqual({
      ok: false,
      reason: 'TAKEN',
      sold: ['S1', 'S2'],
      held: ['H2', 'H1'],
    });
    const s = await snap('me');
    expect(s.seq).toBe(seqBefore);
    expect(s.held).toEqual(['H1', 'H2']);
    expect(s.mine).toEqual([]);
  });

  it('counts the live holds of the session against the limit', async () => {
    expect((await hold('s1', ['A1', 'A2'], { maxSeats: 3 })).ok).toBe(true);
    expect(await hold('s1', ['A2', 'A3', 'A4'], { maxSeats: 3 })).toEqual({
      ok: false,
      reason: 'HOLD_LIMIT',
      wouldHold: 4,
    });
    expect((await snap()).held).toEqual(['A1', 'A2']);
    expect((await hold('s1', ['A1', 'A3'], { maxSeats: 3 })).ok).toBe(true);
    expect((await hold('s2', ['B1', 'B2', 'B3'], { maxSeats: 3 })).ok).toBe(true);
  });

  it('keeps the expiry of a seat the session holds already', async () => {
    const first = await hold('s1', ['A1']);
    await sleep(20);
    const again = await hold('s1', ['A2', 'A1']);
    if (!first.ok || !again.ok) throw new Error('hold failed');
    expect(again.holds[1]).toEqual(first.holds[0]);
    expect(again.holds[0]!.expiresAt).toBeGreaterThan(first.holds[0]!.expiresAt);
  });

  it('treats an expired hold as free, for another session and for the limit', async () => {
    const feed = await collect(store, EV);
    await hold('s1', ['A1', 'A2'], { ttlMs: SHORT_TTL });
    await sleep(SHORT_TTL + 40);
    expect((await hold('s2', ['A1'])).ok).toBe(true);
    // s1's other expired hold (A2) is released when s1 holds again, so the limit of 1 passes.
    expect((await hold('s1', ['B1'], { maxSeats: 1 })).ok).toBe(true);
    const s = await snap('s1');
    expect(s.held).toEqual(['A1', 'B1']);
    expect(s.mine.map((m) => m.seatId)).toEqual(['B1']);
    await settle(store);
    expect(feed.changes().map((c) => [c.seatId, c.status])).toEqual([
      ['A1', 'HELD'],
      ['A2', 'HELD'],
      ['A1', 'AVAILABLE'],
      ['A1', 'HELD'],
      ['A2', 'AVAILABLE'],
      ['B1', 'HELD'],
    ]);
  });
});

describe('release', () => {
  it('releases a live hold of its owner only', async () => {
    await hold('s1', ['A1']);
    expect(await store.release(EV, 's2', 'A1')).toEqual({ ok: false, reason: 'NOT_OWNER' });
    expect(await store.release(EV, 's1', 'A1')).toEqual({ ok: true });
    expect(await store.release(EV, 's1', 'A1')).toEqual({ ok: false, reason: 'HOLD_NOT_FOUND' });
    expect((await snap('s1')).held).toEqual([]);
  });

  it('answers HOLD_NOT_FOUND for sold seats and expired holds, releasing the expired one', async () => {
    await store.markSold(EV, ['S1'], 'buyer');
    expect(await store.release(EV, 's1', 'S1')).toEqual({ ok: false, reason: 'HOLD_NOT_FOUND' });
    await hold('s1', ['A1'], { ttlMs: SHORT_TTL });
    await sleep(SHORT_TTL + 40);
    const feed = await collect(store, EV);
    expect(await store.release(EV, 's2', 'A1')).toEqual({ ok: false, reason: 'HOLD_NOT_FOUND' });
    expect((await snap()).held).toEqual([]);
    await settle(store);
    expect(feed.changes()).toMatchObject([{ seatId: 'A1', status: 'AVAILABLE' }]);
  });
});

describe('checkout', () => {
  it('refuses sold seats first, then seats not held live by the session', async () => {
    await store.markSold(EV, ['S1'], 'buyer');
    await hold('other', ['O1']);
    await hold('me', ['M1']);
    await hold('me', ['X1'], { ttlMs: SHORT_TTL });
    await sleep(SHORT_TTL + 40);
    expect(await store.beginCheckout(EV, 'me', ['M1', 'O1', 'S1'], 1000)).toEqual({
      ok: false,
      reason: 'SEAT_SOLD',
      seats: ['S1'],
    });
    expect(await store.beginCheckout(EV, 'me', ['M1', 'O1', 'F1', 'X1'], 1000)).toEqual({
      ok: false,
      reason: 'SEAT_NOT_HELD',
      seats: ['O1', 'F1', 'X1'],
    });
    // An expired hold is refused but not released by checkout.
    expect((await snap()).held).toContain('X1');
  });

  it('pushes expiries past the window, silently, and abort puts them back', async () => {
    const held = await hold('me', ['A1', 'A2'], { ttlMs: SHORT_TTL });
    if (!held.ok) throw new Error('hold failed');
    const feed = await collect(store, EV);
    const seq = (await snap()).seq;
    const begun = await store.beginCheckout(EV, 'me', ['A1', 'A2'], 5_000);
    expect(begun).toEqual({ ok: true, previous: held.holds });
    await sleep(SHORT_TTL + 40);
    expect(await store.expire(EV, 10)).toEqual({ ok: true, changed: 0 });
    const pushed = await snap('me');
    expect(pushed.mine).toHaveLength(2);
    for (const m of pushed.mine)
      expect(m.expiresAt).toBeGreaterThan(held.holds[0]!.expiresAt + 4000);

    await hold('me', ['B1']);
    // In checkout: its owner cannot let it go, so nobody else can take it.
    expect(await store.release(EV, 'me', 'A2')).toEqual({
      ok: false,
      reason: 'CHECKOUT_IN_PROGRESS',
    });
    expect((await hold('other', ['A2'])).ok).toBe(false);
    if (!begun.ok) return;
    expect(await store.abortCheckout(EV, 'me', begun.previous)).toEqual({ ok: true, changed: 2 });
    // The previous expiries have passed: the holds are expired again and the sweeper takes them.
    const after = await snap('me');
    expect(after.held).toEqual(['A1', 'A2', 'B1']);
    expect(after.mine.map((m) => m.seatId)).toEqual(['B1']);
    expect((await store.expire(EV, 10)).ok).toBe(true);
    expect((await snap()).held).toEqual(['B1']);
    await settle(store);
    // beginCheckout and abortCheckout publish nothing: the seqs come from hold and expire.
    expect(feed.changes().map((c) => c.seq)).toEqual([seq + 1, seq + 2, seq + 3]);
  });

  it('abort restores the exact previous expiries', async () => {
    const held = await hold('me', ['A1', 'A2']);
    const begun = await store.beginCheckout(EV, 'me', ['A1', 'A2'], 2 * TTL);
    if (!held.ok || !begun.ok) throw new Error('hold or checkout failed');
    expect((await snap('me')).mine[0]!.expiresAt).toBeGreaterThan(held.holds[0]!.expiresAt);
    expect(await store.abortCheckout(EV, 'me', begun.previous)).toEqual({ ok: true, changed: 2 });
    const mine = (await snap('me')).mine.sort((a, b) => a.seatId.localeCompare(b.seatId));
    expect(mine).toEqual(held.holds);
  });

  it('keeps a later expiry when the window is shorter', async () => {
    const held = await hold('me', ['A1']);
    if (!held.ok) throw new Error('hold failed');
    expect(await store.beginCheckout(EV, 'me', ['A1'], 10)).toEqual({
      ok: true,
      previous: held.holds,
    });
    expect((await snap('me')).mine).toEqual(held.holds);
  });
});

describe('markSold', () => {
  it('sells seats whoever holds them, idempotently', async () => {
    await hold('s1', ['A1']);
    const feed = await collect(store, EV);
    expect(await store.markSold(EV, ['A1', 'A2'], 'buyer')).toEqual({ ok: true, changed: 2 });
    expect(await store.markSold(EV, ['A1', 'A2'], 'buyer')).toEqual({ ok: true, changed: 0 });
    const s = await snap('s1');
    expect(s).toMatchObject({ held: [], sold: ['A1', 'A2'], mine: [] });
    expect(await store.release(EV, 's1', 'A1')).toEqual({ ok: false, reason: 'HOLD_NOT_FOUND' });
    expect(await hold('s2', ['A1'])).toMatchObject({ ok: false, sold: ['A1'], held: [] });
    await settle(store);
    expect(feed.batches).toHaveLength(1);
    expect(feed.changes().map((c) => [c.seatId, c.status])).toEqual([
      ['A1', 'SOLD'],
      ['A2', 'SOLD'],
    ]);
  });
});

describe('expire', () => {
  it('sweeps only expired holds, earliest first, up to the limit', async () => {
    await hold('s1', ['E1'], { ttlMs: SHORT_TTL });
    await hold('s2', ['E2'], { ttlMs: SHORT_TTL + 10 });
    await hold('s3', ['E3'], { ttlMs: SHORT_TTL + 20 });
    await hold('s4', ['L1']);
    await sleep(SHORT_TTL + 60);
    const feed = await collect(store, EV);
    expect(await store.expire(EV, 2)).toEqual({ ok: true, changed: 2 });
    expect((await snap()).held).toEqual(['E3', 'L1']);
    expect(await store.expire(EV, 100)).toEqual({ ok: true, changed: 1 });
    expect(await store.expire(EV, 100)).toEqual({ ok: true, changed: 0 });
    expect((await snap('s4')).held).toEqual(['L1']);
    await settle(store);
    expect(feed.changes().map((c) => [c.seatId, c.status])).toEqual([
      ['E1', 'AVAILABLE'],
      ['E2', 'AVAILABLE'],
      ['E3', 'AVAILABLE'],
    ]);
    // s1's stale session entry must not come back as its hold.
    expect((await snap('s1')).mine).toEqual([]);
    expect((await hold('s1', ['Z1', 'Z2'], { maxSeats: 2 })).ok).toBe(true);
  });
});

describe('counts and reset', () => {
  it('counts sold and held seats of many events, null when not ready', async () => {
    await hold('s1', ['A1', 'A2']);
    await store.markSold(EV, ['A3'], 'buyer');
    await store.restore('ev2', sales(['X1', 'X2']));
    const counts = await store.counts([EV, 'ev2', 'nope']);
    expect([...counts]).toEqual([
      [EV, { sold: 1, held: 2 }],
      ['ev2', { sold: 2, held: 0 }],
      ['nope', null],
    ]);
    expect((await store.counts([])).size).toBe(0);
  });

  it('reset clears holds and sales, stays ready and publishes a reset', async () => {
    await hold('s1', ['A1']);
    await store.markSold(EV, ['A2'], 'buyer');
    const feed = await collect(store, EV);
    await store.clear(EV);
    const s = await snap('s1');
    expect(s).toMatchObject({ seq: 3, held: [], sold: [], mine: [] });
    expect((await hold('s2', ['A1', 'A2'])).ok).toBe(true);
    await settle(store);
    expect(feed.batches[0]).toMatchObject({ kind: 'replaced', eventId: EV, seq: 3 });
  });
});

describe('extend', () => {
  it('keeps the session and address hint sets alive as long as the extended holds', async () => {
    const address = '203.0.113.9';
    const k = new Keys(prefix).event(EV);
    await hold('s', ['A1'], { ttlMs: 1_000, address, maxPerAddress: 4 });
    const extended = await store.extend(EV, 's', 10 * TTL, address);
    if (!extended.ok) throw new Error(JSON.stringify(extended));
    const expiresAt = extended.holds[0]?.expiresAt ?? 0;
    for (const hint of [k.session('s'), k.address(address)]) {
      expect(await redis.pexpiretime(hint)).toBeGreaterThanOrEqual(expiresAt);
    }
    // The extension mark goes with the hold.
    expect(await redis.hexists(k.checkout, '+A1')).toBe(1);
    expect(await store.release(EV, 's', 'A1')).toEqual({ ok: true });
    expect(await redis.hexists(k.checkout, '+A1')).toBe(0);
  });
});
