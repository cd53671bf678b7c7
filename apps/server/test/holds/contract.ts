// The HoldStore contract (holds/README.md) as a reusable Vitest suite, run against every
// implementation through a harness; the memory and Redis stores must both pass it unchanged.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loneSeatChecks, type RowNeighbours } from '../../src/domain/lone-seats.js';
import type { ChangeBatch, HeldSeat, HoldStore, Sale } from '../../src/holds/types.js';
import type { QueueStore } from '../../src/queue/types.js';
import { until } from '../support/wait.js';
import { FENCE, Recorder, SKEW, changeList, checkSequence, sales, waitFor } from './recorder.js';

export interface Harness {
  store: HoldStore;
  /** The waiting rooms the store's hold gate reads (the same Redis prefix, or the same process). */
  queues: QueueStore;
  /** Makes the seat's live hold expire now (by the store's clock), changing nothing else. */
  ageHold(eventId: string, seatId: string): Promise<void>;
  close(): Promise<void>;
}

const TTL = 60_000;
const MAX = 8;
const NOT_READY = { ok: false, reason: 'NOT_READY' };
const ALICE = 'alice';
const BOB = 'bob';

/** A row of seats r1..r6: each seat's neighbours by number, none past the ends. */
function rowOfSix(seatId: string): RowNeighbours | undefined {
  const number = Number(/^r(\d)$/.exec(seatId)?.[1]);
  if (!(number >= 1 && number <= 6)) return undefined;
  return {
    ...(number > 1 ? { left: `r${number - 1}` } : {}),
    ...(number < 6 ? { right: `r${number + 1}` } : {}),
  };
}

function newEventId(): string {
  return `ev-${randomUUID()}`;
}

export function holdStoreContract(name: string, makeHarness: () => Promise<Harness>): void {
  describe(`HoldStore contract: ${name}`, () => {
    let harness: Harness;
    let store: HoldStore;
    let recorders: Recorder[] = [];

    beforeAll(async () => {
      harness = await makeHarness();
      store = harness.store;
    });

    afterAll(async () => {
      await harness?.close();
    });

    afterEach(async () => {
      const open = recorders;
      recorders = [];
      try {
        for (const recorder of open) await recorder.verify();
      } finally {
        for (const recorder of open) await recorder.stop();
      }
    });

    async function record(eventId: string): Promise<Recorder> {
      const recorder = new Recorder(store, eventId);
      await recorder.start();
      recorders.push(recorder);
      return recorder;
    }

    /** A fresh ready event with its recorder, the restore's reset already taken. */
    async function ready(
      sold: string[] | Sale[] = [],
    ): Promise<{ eventId: string; rec: Recorder }> {
      const eventId = newEventId();
      const rec = await record(eventId);
      const rebuilt = sold.map((s) =>
        typeof s === 'string' ? { seatId: s, sessionId: 'buyer' } : s,
      );
      await store.restore(eventId, rebuilt);
      expect(await rec.next()).toMatchObject({ kind: 'replaced', eventId });
      return { eventId, rec };
    }

    async function hold(
      eventId: string,
      sessionId: string,
      seatIds: string[],
      options: { ttlMs?: number; maxSeats?: number; address?: string; maxPerAddress?: number } = {},
    ) {
      const { ttlMs = TTL, maxSeats = MAX, ...limits } = options;
      return store.hold({ eventId, sessionId, seatIds, ttlMs, maxSeats, ...limits });
    }

    /** Holds that must succeed; returns each seat's expiry. */
    async function held(eventId: string, sessionId: string, seatIds: string[], ttlMs = TTL) {
      const outcome = await hold(eventId, sessionId, seatIds, { ttlMs });
      if (!outcome.ok) throw new Error(`hold failed: ${JSON.stringify(outcome)}`);
      return new Map(outcome.holds.map((h) => [h.seatId, h.expiresAt]));
    }

    /** The snapshot with sorted lists and without fence seats. */
    async function view(eventId: string, sessionId?: string) {
      const snapshot = await store.snapshot(eventId, sessionId);
      if (!snapshot.ok) throw new Error('event not ready');
      const byId = (a: HeldSeat, b: HeldSeat) => (a.seatId < b.seatId ? -1 : 1);
      return {
        seq: snapshot.seq,
        held: [...snapshot.held].sort(),
        sold: snapshot.sold.filter((seatId) => !seatId.startsWith(FENCE)).sort(),
        mine: [...snapshot.mine].sort(byId),
      };
    }

    async function mineIds(eventId: string, sessionId: string): Promise<string[]> {
      return (await view(eventId, sessionId)).mine.map((h) => h.seatId);
    }

    describe('readiness', () => {
      it('answers NOT_READY to every seat call before restore and changes nothing', async () => {
        const eventId = newEventId();
        const rec = await record(eventId);
        expect(await hold(eventId, ALICE, ['a'])).toEqual(NOT_READY);
        expect(await store.release(eventId, ALICE, 'a')).toEqual(NOT_READY);
        expect(await store.beginCheckout(eventId, ALICE, ['a'], 1_000)).toEqual(NOT_READY);
        const previous = [{ seatId: 'a', expiresAt: Date.now() }];
        expect(await store.abortCheckout(eventId, ALICE, previous)).toEqual(NOT_READY);
        expect(await store.extend(eventId, ALICE, TTL)).toEqual(NOT_READY);
        expect(await store.markSold(eventId, ['b'], 'buyer')).toEqual(NOT_READY);
        expect(await store.unmarkSold(eventId, ['b'])).toEqual(NOT_READY);
        expect(await store.expire(eventId, 10)).toEqual(NOT_READY);
        expect(await store.snapshot(eventId)).toEqual(NOT_READY);
        expect(await store.snapshot(eventId, ALICE)).toEqual(NOT_READY);
        expect((await store.counts([eventId])).get(eventId)).toBeNull();
        // An admin reset of a lost state has nothing to clear and must not make it ready.
        await store.clear(eventId);
        expect(await store.snapshot(eventId)).toEqual(NOT_READY);

        await store.restore(eventId, sales(['c']));
        // The restore's reset is the first batch: nothing above published anything.
        expect(await rec.next()).toMatchObject({ kind: 'replaced', eventId, seq: 1 });
        expect(await view(eventId)).toEqual({ seq: 1, held: [], sold: ['c'], mine: [] });
      });

      it('restore publishes one reset whose seq counts the rebuilt SOLD marks', async () => {
        const eventId = newEventId();
        const rec = await record(eventId);
        const before = Date.now();
        await store.restore(eventId, sales(['b', 'a', 'b']));
        const reset = await rec.next();
        expect(reset).toEqual({ kind: 'replaced', eventId, time: reset.time, seq: 2 });
        expect(reset.time).toBeGreaterThanOrEqual(before - SKEW);
        expect(await rec.take()).toEqual([]);
        expect(await view(eventId)).toMatchObject({ held: [], sold: ['a', 'b'] });
        expect(await hold(eventId, ALICE, ['a'])).toEqual({
          ok: false,
          reason: 'TAKEN',
          sold: ['a'],
          held: [],
        });
      });

      it('restore of an event with no sales starts the sequence at 0', async () => {
        const eventId = newEventId();
        const rec = await record(eventId);
        await store.restore(eventId, []);
        expect(await rec.next()).toMatchObject({ kind: 'replaced', seq: 0 });
        expect(await view(eventId)).toEqual({ seq: 0, held: [], sold: [], mine: [] });
        await held(eventId, ALICE, ['a']);
        const [batch] = await rec.take();
        expect(batch).toMatchObject({ kind: 'changes', changes: [{ seq: 1, seatId: 'a' }] });
      });

      it('restore when ready publishes SOLD only for newly sold seats, dropping holds', async () => {
        const { eventId, rec } = await ready(['x']);
        await held(eventId, ALICE, ['a', 'c']);
        await rec.take();
        await store.restore(eventId, sales(['x', 'a', 'b', 'a']));
        const batches = await rec.take();
        expect(batches).toHaveLength(1);
        expect(changeList(batches)).toEqual(['SOLD a', 'SOLD b']);
        expect(await view(eventId, ALICE)).toMatchObject({ held: ['c'], sold: ['a', 'b', 'x'] });
        expect(await mineIds(eventId, ALICE)).toEqual(['c']);
        await store.restore(eventId, sales(['x', 'a', 'b']));
        expect(await rec.take()).toEqual([]);
      });
    });

    describe('hold', () => {
      it('holds every seat, answers in request order and publishes HELD in that order', async () => {
        const { eventId, rec } = await ready();
        const before = Date.now();
        const outcome = await hold(eventId, ALICE, ['s2', 's1', 's3']);
        const after = Date.now();
        if (!outcome.ok) throw new Error(JSON.stringify(outcome));
        expect(outcome.holds.map((h) => h.seatId)).toEqual(['s2', 's1', 's3']);
        const expiresAt = outcome.holds[0]?.expiresAt ?? 0;
        expect(outcome.holds.every((h) => h.expiresAt === expiresAt)).toBe(true);
        expect(expiresAt).toBeGreaterThanOrEqual(before + TTL - SKEW);
        expect(expiresAt).toBeLessThanOrEqual(after + TTL + SKEW);
        const batches = await rec.take();
        expect(batches).toHaveLength(1);
        expect(batches[0]).toMatchObject({
          kind: 'changes',
          changes: [
            { seq: 1, seatId: 's2', status: 'HELD' },
            { seq: 2, seatId: 's1', status: 'HELD' },
            { seq: 3, seatId: 's3', status: 'HELD' },
          ],
        });
        const mine = ['s1', 's2', 's3'].map((seatId) => ({ seatId, expiresAt }));
        expect(await view(eventId, ALICE)).toEqual({
          seq: 4,
          held: ['s1', 's2', 's3'],
          sold: [],
          mine,
        });
        expect((await view(eventId, BOB)).mine).toEqual([]);
        expect((await view(eventId)).mine).toEqual([]);
      });

      it('is all-or-nothing and lists conflicts, sold and held, in request order', async () => {
        const { eventId, rec } = await ready(['x', 'z']);
        await held(eventId, BOB, ['y', 'w']);
        await rec.take();
        expect(await hold(eventId, ALICE, ['a', 'z', 'w', 'x', 'b', 'y'])).toEqual({
          ok: false,
          reason: 'TAKEN',
          sold: ['z', 'x'],
          held: ['w', 'y'],
        });
        expect(await hold(eventId, ALICE, ['x'])).toEqual({
          ok: false,
          reason: 'TAKEN',
          sold: ['x'],
          held: [],
        });
        expect(await hold(eventId, ALICE, ['a', 'y'])).toEqual({
          ok: false,
          reason: 'TAKEN',
          sold: [],
          held: ['y'],
        });
        expect(await rec.take()).toEqual([]);
        expect(await view(eventId, ALICE)).toMatchObject({ held: ['w', 'y'], mine: [] });
      });

      it('refuses HOLD_LIMIT by the seats the session would hold, changing nothing', async () => {
        const { eventId, rec } = await ready();
        const limited = { maxSeats: 3 };
        await held(eventId, ALICE, ['a', 'b']);
        await rec.take();
        expect(await hold(eventId, ALICE, ['b', 'c', 'd'], limited)).toEqual({
          ok: false,
          reason: 'HOLD_LIMIT',
          wouldHold: 4,
        });
        expect(await rec.take()).toEqual([]);
        expect(await mineIds(eventId, ALICE)).toEqual(['a', 'b']);
        expect((await hold(eventId, ALICE, ['b', 'c'], limited)).ok).toBe(true);
        expect((await hold(eventId, ALICE, ['a', 'b', 'c'], limited)).ok).toBe(true);
        expect(changeList(await rec.take())).toEqual(['HELD c']);
        // Another session's holds do not count against this one.
        expect((await hold(eventId, BOB, ['d', 'e', 'f'], limited)).ok).toBe(true);
      });

      it('does not count expired holds and releases them first, whatever the outcome', async () => {
        const { eventId, rec } = await ready(['x']);
        await held(eventId, ALICE, ['a', 'b']);
        await rec.take();
        await harness.ageHold(eventId, 'a');
        expect((await hold(eventId, ALICE, ['c'], { maxSeats: 2 })).ok).toBe(true);
        const batches = await rec.take();
        expect(batches).toHaveLength(1);
        expect(changeList(batches)).toEqual(['AVAILABLE a', 'HELD c']);
        expect(await mineIds(eventId, ALICE)).toEqual(['b', 'c']);

        await harness.ageHold(eventId, 'b');
        expect(await hold(eventId, ALICE, ['x'])).toMatchObject({ reason: 'TAKEN' });
        expect(changeList(await rec.take())).toEqual(['AVAILABLE b']);
        expect(await view(eventId)).toMatchObject({ held: ['c'] });
      });

      it('keeps the expiry of seats the session already holds', async () => {
        const { eventId, rec } = await ready();
        const first = await held(eventId, ALICE, ['a']);
        await sleep(5);
        const second = await held(eventId, ALICE, ['b', 'a'], TTL * 2);
        expect([...second.keys()]).toEqual(['b', 'a']);
        expect(second.get('a')).toBe(first.get('a'));
        expect(second.get('b')).toBeGreaterThan(first.get('a') ?? Infinity);
        expect(changeList(await rec.take())).toEqual(['HELD a', 'HELD b']);
        expect((await view(eventId, ALICE)).mine).toEqual([
          { seatId: 'a', expiresAt: first.get('a') },
          { seatId: 'b', expiresAt: second.get('b') },
        ]);
        expect((await hold(eventId, ALICE, ['a', 'b'])).ok).toBe(true);
        expect(await rec.take()).toEqual([]);
      });

      it('lets another session take an expired hold, releasing it with AVAILABLE', async () => {
        const { eventId, rec } = await ready();
        await held(eventId, ALICE, ['a', 'b']);
        await rec.take();
        await harness.ageHold(eventId, 'a');
        // Unswept, the lapsed hold is still listed as held but is no longer the owner's.
        expect(await view(eventId, ALICE)).toMatchObject({ held: ['a', 'b'] });
        expect(await mineIds(eventId, ALICE)).toEqual(['b']);
        const taken = await held(eventId, BOB, ['a']);
        expect(taken.get('a')).toBeGreaterThanOrEqual(Date.now() + TTL - SKEW);
        const batches = await rec.take();
        expect(batches).toHaveLength(1);
        expect(changeList(batches)).toEqual(['AVAILABLE a', 'HELD a']);
        expect(await mineIds(eventId, ALICE)).toEqual(['b']);
        expect(await mineIds(eventId, BOB)).toEqual(['a']);
        expect(await store.release(eventId, ALICE, 'a')).toEqual({
          ok: false,
          reason: 'NOT_OWNER',
        });
      });

      it('renews its own expired hold with a fresh expiry', async () => {
        const { eventId, rec } = await ready();
        await held(eventId, ALICE, ['a']);
        await harness.ageHold(eventId, 'a');
        await rec.take();
        const renewed = await held(eventId, ALICE, ['a']);
        expect(renewed.get('a')).toBeGreaterThanOrEqual(Date.now() + TTL - SKEW);
        expect(changeList(await rec.take())).toEqual(['AVAILABLE a', 'HELD a']);
      });

      it('releases own lapsed holds by seat id, then requested ones in request order', async () => {
        const { eventId, rec } = await ready();
        await held(eventId, ALICE, ['a', 'c']);
        await held(eventId, BOB, ['z', 'y', 'x']);
        // Expiry order z, y, c, a: the release order must not follow it.
        for (const seatId of ['z', 'y', 'c', 'a']) {
          await harness.ageHold(eventId, seatId);
          await sleep(3);
        }
        await rec.take();
        expect((await hold(eventId, BOB, ['a', 'z', 'c'])).ok).toBe(true);
        const batches = await rec.take();
        expect(batches).toHaveLength(1);
        expect(changeList(batches)).toEqual([
          'AVAILABLE y',
          'AVAILABLE z',
          'AVAILABLE a',
          'AVAILABLE c',
          'HELD a',
          'HELD z',
          'HELD c',
        ]);
      });

      it('counts a duplicate seat id once, at its first occurrence', async () => {
        const { eventId, rec } = await ready();
        const outcome = await hold(eventId, ALICE, ['b', 'a', 'b'], { maxSeats: 2 });
        expect(outcome.ok && outcome.holds.map((h) => h.seatId)).toEqual(['b', 'a']);
        expect(changeList(await rec.take())).toEqual(['HELD b', 'HELD a']);
        const checkout = await store.beginCheckout(eventId, ALICE, ['a', 'a'], 1_000);
        expect(checkout.ok && checkout.previous.map((h) => h.seatId)).toEqual(['a']);
      });
    });

    describe('waiting room gate', () => {
      const SEED = '00'.repeat(32);
      const AVAILABLE = { available: true, soldOut: false };

      /** A queue whose sales start `inMs` from now, admitting fast, with `joined` in its pre-queue. */
      async function queued(eventId: string, joined: string[], admissionSeconds = 600, inMs = 30) {
        const now = Date.now();
        const settings = {
          opensAt: now - 1_000,
          salesStartAt: now + inMs,
          admitPerMinute: 60_000,
          admissionSeconds,
          powBits: 0,
        };
        expect(await harness.queues.configure(eventId, settings, SEED)).toMatchObject({ ok: true });
        for (const sessionId of joined) {
          const entry = await harness.queues.join(eventId, sessionId, `t-${sessionId}`, 0);
          expect(entry).toMatchObject({ ok: true, created: true, entry: { number: null } });
        }
      }

      /** Ticks until every session of `sessions` is admitted. */
      async function admitted(eventId: string, sessions: string[]) {
        await until('admitted', async () => {
          await harness.queues.tick(eventId, AVAILABLE);
          const all = await Promise.all(sessions.map((s) => harness.queues.isAdmitted(eventId, s)));
          return all.every(Boolean);
        });
      }

      it('refuses every hold of a session not admitted while the event has a queue, changing nothing', async () => {
        const { eventId, rec } = await ready();
        await held(eventId, BOB, ['a']);
        await held(eventId, ALICE, ['z'], 1);
        await rec.take();
        await queued(eventId, [ALICE]);
        const refused = { ok: false, reason: 'QUEUE_ADMISSION_REQUIRED' };
        // Alice's own lapsed hold is not even released by a refused hold: nothing changes.
        await until('the hold lapsed', async () => (await view(eventId, ALICE)).mine.length === 0);
        expect(await hold(eventId, ALICE, ['b'])).toEqual(refused);
        expect(await hold(eventId, BOB, ['a'])).toEqual(refused);
        expect(await rec.take()).toEqual([]);
        expect((await view(eventId)).held).toEqual(['a', 'z']);
        // Seats already held go on to their order: checkout is not gated.
        expect(await store.beginCheckout(eventId, BOB, ['a'], 10_000)).toMatchObject({ ok: true });
      });

      it('lets an admitted session hold until its admission ends', async () => {
        const { eventId } = await ready();
        await queued(eventId, [ALICE], 1);
        await admitted(eventId, [ALICE]);
        expect(await hold(eventId, ALICE, ['a'])).toMatchObject({ ok: true });
        expect(await hold(eventId, BOB, ['b'])).toEqual({
          ok: false,
          reason: 'QUEUE_ADMISSION_REQUIRED',
        });
        // admissionSeconds 1: the record ends a second after the admission, by the store's clock.
        await until(
          'admission ended',
          async () => !(await harness.queues.isAdmitted(eventId, ALICE)),
        );
        expect(await hold(eventId, ALICE, ['c'])).toEqual({
          ok: false,
          reason: 'QUEUE_ADMISSION_REQUIRED',
        });
        expect(await mineIds(eventId, ALICE)).toEqual(['a']);
        expect(await store.beginCheckout(eventId, ALICE, ['a'], 10_000)).toMatchObject({
          ok: true,
        });
      });

      it('holds as before on an event without a queue, whatever other events have', async () => {
        const { eventId } = await ready();
        const other = await ready();
        await queued(other.eventId, []);
        expect(await hold(eventId, ALICE, ['a'])).toMatchObject({ ok: true });
        expect(await hold(other.eventId, ALICE, ['a'])).toMatchObject({
          ok: false,
          reason: 'QUEUE_ADMISSION_REQUIRED',
        });
      });
    });

    describe('limits: bought seats and the client address', () => {
      const HOME = '203.0.113.7';
      const OFFICE = '2001:db8:1:2::/64';
      const capped = (address: string, maxPerAddress: number) => ({ address, maxPerAddress });

      it('counts the seats sold to a session against its limit, until they are unsold', async () => {
        const { eventId } = await ready();
        await held(eventId, ALICE, ['a', 'b', 'c']);
        expect(await store.markSold(eventId, ['a', 'b', 'c'], ALICE)).toEqual({
          ok: true,
          changed: 3,
        });
        // Sold to Alice: 3 bought + 2 new would pass a limit of 4.
        expect(await hold(eventId, ALICE, ['d', 'e'], { maxSeats: 4 })).toEqual({
          ok: false,
          reason: 'HOLD_LIMIT',
          wouldHold: 5,
        });
        expect((await hold(eventId, ALICE, ['d'], { maxSeats: 4 })).ok).toBe(true);
        // Bob's limit is his own; marking a sold seat again counts nothing twice.
        expect((await hold(eventId, BOB, ['f', 'g', 'h', 'i'], { maxSeats: 4 })).ok).toBe(true);
        expect(await store.markSold(eventId, ['a'], ALICE)).toEqual({ ok: true, changed: 0 });
        expect(await store.unmarkSold(eventId, ['a', 'b'])).toEqual({ ok: true, changed: 2 });
        expect((await hold(eventId, ALICE, ['e', 'j'], { maxSeats: 4 })).ok).toBe(true);
      });

      it('restore counts each rebuilt sale towards its buyer; clear forgets them', async () => {
        const { eventId } = await ready([...sales(['a', 'b'], ALICE), ...sales(['c'], BOB)]);
        expect(await hold(eventId, ALICE, ['d'], { maxSeats: 2 })).toMatchObject({
          reason: 'HOLD_LIMIT',
          wouldHold: 3,
        });
        expect((await hold(eventId, BOB, ['d'], { maxSeats: 2 })).ok).toBe(true);
        await store.clear(eventId);
        expect((await hold(eventId, ALICE, ['a', 'b'], { maxSeats: 2 })).ok).toBe(true);
      });

      it('caps the live holds of every session of one address together', async () => {
        const { eventId } = await ready();
        expect((await hold(eventId, ALICE, ['a', 'b'], capped(HOME, 3))).ok).toBe(true);
        expect(await hold(eventId, BOB, ['c', 'd'], capped(HOME, 3))).toEqual({
          ok: false,
          reason: 'ADDRESS_LIMIT',
          wouldHold: 4,
        });
        expect((await hold(eventId, BOB, ['c'], capped(HOME, 3))).ok).toBe(true);
        // Another address has its own cap; seats already held add nothing.
        expect((await hold(eventId, BOB, ['d', 'e', 'f'], capped(OFFICE, 3))).ok).toBe(true);
        expect((await hold(eventId, ALICE, ['a', 'b'], capped(HOME, 3))).ok).toBe(true);
        expect(await hold(eventId, ALICE, ['g'], capped(HOME, 3))).toMatchObject({
          reason: 'ADDRESS_LIMIT',
        });
        // A released, a sold and a lapsed hold no longer count.
        expect(await store.release(eventId, ALICE, 'a')).toEqual({ ok: true });
        expect((await hold(eventId, ALICE, ['g'], capped(HOME, 3))).ok).toBe(true);
        await store.markSold(eventId, ['b'], ALICE);
        await harness.ageHold(eventId, 'c');
        expect((await hold(eventId, BOB, ['h', 'i'], capped(HOME, 3))).ok).toBe(true);
        expect(await hold(eventId, BOB, ['j'], capped(HOME, 3))).toMatchObject({
          reason: 'ADDRESS_LIMIT',
          wouldHold: 4,
        });
      });

      it('counts a seat held again from elsewhere, or without a cap, for its new address only', async () => {
        const { eventId } = await ready();
        expect((await hold(eventId, ALICE, ['a', 'b'], capped(HOME, 2))).ok).toBe(true);
        await store.release(eventId, ALICE, 'a');
        await store.release(eventId, ALICE, 'b');
        expect((await hold(eventId, BOB, ['a'], capped(OFFICE, 2))).ok).toBe(true);
        expect((await hold(eventId, BOB, ['b'])).ok).toBe(true);
        expect((await hold(eventId, ALICE, ['c', 'd'], capped(HOME, 2))).ok).toBe(true);
        expect(await hold(eventId, ALICE, ['e'], capped(OFFICE, 1))).toMatchObject({
          reason: 'ADDRESS_LIMIT',
          wouldHold: 2,
        });
        // After an admin reset nothing counts any more.
        await store.clear(eventId);
        expect((await hold(eventId, BOB, ['x', 'y'], capped(HOME, 2))).ok).toBe(true);
      });
    });

    describe('lone-seat rule', () => {
      /** A hold of seats of the row r1..r6 with the rule's checks. */
      async function holdInRow(
        eventId: string,
        sessionId: string,
        seatIds: string[],
        maxSeats = MAX,
      ) {
        const loneChecks = loneSeatChecks(seatIds, rowOfSix);
        return store.hold({
          eventId,
          sessionId,
          seatIds,
          ttlMs: TTL,
          maxSeats,
          loneSeatChecks: loneChecks,
        });
      }

      it('refuses leaving the seat at a row end alone, changing nothing', async () => {
        const { eventId, rec } = await ready();
        expect(await holdInRow(eventId, ALICE, ['r2', 'r3'])).toEqual({
          ok: false,
          reason: 'SINGLE_SEAT',
          seats: ['r1'],
        });
        expect(await holdInRow(eventId, ALICE, ['r5'])).toEqual({
          ok: false,
          reason: 'SINGLE_SEAT',
          seats: ['r6'],
        });
        expect(await rec.take()).toEqual([]);
        expect((await view(eventId)).held).toEqual([]);
        // Without the checks (the rule off) the same hold is fine.
        expect((await hold(eventId, ALICE, ['r2', 'r3'])).ok).toBe(true);
      });

      it('refuses leaving a seat alone between two taken ones, held or sold', async () => {
        const { eventId } = await ready(['r6']);
        await held(eventId, BOB, ['r1']);
        expect(await holdInRow(eventId, ALICE, ['r3'])).toEqual({
          ok: false,
          reason: 'SINGLE_SEAT',
          seats: ['r2'],
        });
        expect(await holdInRow(eventId, ALICE, ['r4'])).toEqual({
          ok: false,
          reason: 'SINGLE_SEAT',
          seats: ['r5'],
        });
      });

      it('allows holding both seats, and a hold next to a seat already alone', async () => {
        const { eventId } = await ready(['r2']);
        // r1 is alone already (r2 sold): a hold of r3 and r4 does not change that.
        expect((await holdInRow(eventId, ALICE, ['r3', 'r4'])).ok).toBe(true);
        expect((await holdInRow(eventId, BOB, ['r5', 'r6'])).ok).toBe(true);
        expect((await view(eventId)).held).toEqual(['r3', 'r4', 'r5', 'r6']);
      });

      it('counts a lapsed hold of a neighbour as free', async () => {
        const { eventId } = await ready();
        await held(eventId, BOB, ['r3']);
        await harness.ageHold(eventId, 'r3');
        expect((await holdInRow(eventId, ALICE, ['r1'])).ok).toBe(true);
      });

      it('reports seats taken and limits before lone seats', async () => {
        const { eventId } = await ready();
        await held(eventId, BOB, ['r4']);
        expect(await holdInRow(eventId, ALICE, ['r2', 'r4'])).toMatchObject({ reason: 'TAKEN' });
        expect(await holdInRow(eventId, ALICE, ['r2'], 0)).toMatchObject({
          reason: 'HOLD_LIMIT',
        });
      });

      it('never refuses a release or an expiry that leaves a seat alone', async () => {
        const { eventId, rec } = await ready();
        await held(eventId, ALICE, ['r1', 'r2', 'r3']);
        await held(eventId, BOB, ['r5', 'r6']);
        await rec.take();
        expect(await store.release(eventId, ALICE, 'r3')).toEqual({ ok: true });
        await harness.ageHold(eventId, 'r5');
        expect(await store.expire(eventId, 10)).toEqual({ ok: true, changed: 1 });
        expect(changeList(await rec.take())).toEqual(['AVAILABLE r3', 'AVAILABLE r5']);
      });
    });

    describe('release', () => {
      it('releases a live hold of its owner and refuses the rest', async () => {
        const { eventId, rec } = await ready(['s']);
        await held(eventId, ALICE, ['a']);
        await held(eventId, BOB, ['c']);
        await rec.take();
        const notFound = { ok: false, reason: 'HOLD_NOT_FOUND' };
        expect(await store.release(eventId, ALICE, 'free')).toEqual(notFound);
        expect(await store.release(eventId, ALICE, 's')).toEqual(notFound);
        expect(await store.release(eventId, ALICE, 'c')).toEqual({
          ok: false,
          reason: 'NOT_OWNER',
        });
        expect(await rec.take()).toEqual([]);
        expect(await store.release(eventId, ALICE, 'a')).toEqual({ ok: true });
        expect(changeList(await rec.take())).toEqual(['AVAILABLE a']);
        expect(await store.release(eventId, ALICE, 'a')).toEqual(notFound);
        expect(await view(eventId, ALICE)).toMatchObject({ held: ['c'], mine: [] });
      });

      it('answers HOLD_NOT_FOUND for an expired hold, whoever owns it, and releases it', async () => {
        const { eventId, rec } = await ready();
        await held(eventId, ALICE, ['a']);
        await held(eventId, BOB, ['c']);
        await harness.ageHold(eventId, 'a');
        await harness.ageHold(eventId, 'c');
        await rec.take();
        const notFound = { ok: false, reason: 'HOLD_NOT_FOUND' };
        expect(await store.release(eventId, ALICE, 'a')).toEqual(notFound);
        expect(changeList(await rec.take())).toEqual(['AVAILABLE a']);
        expect(await store.release(eventId, ALICE, 'c')).toEqual(notFound);
        expect(changeList(await rec.take())).toEqual(['AVAILABLE c']);
        expect((await view(eventId)).held).toEqual([]);
      });
    });

    describe('checkout', () => {
      it('answers SEAT_SOLD before SEAT_NOT_HELD, in request order, changing nothing', async () => {
        const { eventId, rec } = await ready(['s1', 's2']);
        await held(eventId, ALICE, ['a', 'e']);
        await held(eventId, BOB, ['b']);
        await harness.ageHold(eventId, 'e');
        await rec.take();
        expect(await store.beginCheckout(eventId, ALICE, ['free', 's2', 'a', 's1'], 1_000)).toEqual(
          { ok: false, reason: 'SEAT_SOLD', seats: ['s2', 's1'] },
        );
        expect(await store.beginCheckout(eventId, ALICE, ['free', 'b', 'a', 'e'], 1_000)).toEqual({
          ok: false,
          reason: 'SEAT_NOT_HELD',
          seats: ['free', 'b', 'e'],
        });
        // The expired hold is reported, not released.
        expect(await rec.take()).toEqual([]);
        expect(await view(eventId)).toMatchObject({ held: ['a', 'b', 'e'] });
      });

      it('pushes the expiries to now + window at least and returns the previous ones', async () => {
        const { eventId, rec } = await ready();
        const expiries = await held(eventId, ALICE, ['a', 'b']);
        const e0 = expiries.get('a') ?? 0;
        await rec.take();
        const before = Date.now();
        const begun = await store.beginCheckout(eventId, ALICE, ['b', 'a'], TTL * 2);
        expect(begun).toEqual({
          ok: true,
          previous: [
            { seatId: 'b', expiresAt: e0 },
            { seatId: 'a', expiresAt: e0 },
          ],
        });
        const { mine } = await view(eventId, ALICE);
        const pushed = mine[0]?.expiresAt ?? 0;
        expect(pushed).toBeGreaterThanOrEqual(before + TTL * 2 - SKEW);
        expect(mine).toEqual([
          { seatId: 'a', expiresAt: pushed },
          { seatId: 'b', expiresAt: pushed },
        ]);
        // A seat in checkout cannot start another checkout.
        expect(await store.beginCheckout(eventId, ALICE, ['a'], 1_000)).toEqual({
          ok: false,
          reason: 'CHECKOUT_IN_PROGRESS',
          seats: ['a'],
        });
        const aborted = [{ seatId: 'a', expiresAt: pushed }];
        expect(await store.abortCheckout(eventId, ALICE, aborted)).toEqual({
          ok: true,
          changed: 1,
        });
        // A shorter window never shortens a hold.
        expect(await store.beginCheckout(eventId, ALICE, ['a'], 1_000)).toEqual({
          ok: true,
          previous: [{ seatId: 'a', expiresAt: pushed }],
        });
        expect((await view(eventId, ALICE)).mine[0]).toEqual({ seatId: 'a', expiresAt: pushed });
        expect(await rec.take()).toEqual([]);
      });

      it('abortCheckout puts back the expiries of seats still held by the session', async () => {
        const { eventId, rec } = await ready();
        const expiries = await held(eventId, ALICE, ['a', 'b', 'c']);
        const begun = await store.beginCheckout(eventId, ALICE, ['a', 'b', 'c'], TTL * 2);
        if (!begun.ok) throw new Error(JSON.stringify(begun));
        // Only a hold whose checkout outlived its process can change hands meanwhile.
        await harness.ageHold(eventId, 'b');
        const bob = await held(eventId, BOB, ['b'], TTL * 3);
        expect(await store.markSold(eventId, ['c'], 'buyer')).toEqual({ ok: true, changed: 1 });
        await rec.take();
        expect(await store.abortCheckout(eventId, BOB, begun.previous)).toEqual({
          ok: true,
          changed: 1,
        });
        expect(await store.abortCheckout(eventId, ALICE, begun.previous)).toEqual({
          ok: true,
          changed: 1,
        });
        expect(await rec.take()).toEqual([]);
        expect((await view(eventId, ALICE)).mine).toEqual([
          { seatId: 'a', expiresAt: expiries.get('a') },
        ]);
        // Bob's own abort call put back b's "previous" expiry: Alice's, as told.
        expect((await view(eventId, BOB)).mine).toEqual([
          { seatId: 'b', expiresAt: expiries.get('b') },
        ]);
        expect(bob.get('b')).toBeGreaterThan(expiries.get('b') ?? Infinity);
        // The checkout is over: its seats may be let go again.
        expect(await store.release(eventId, ALICE, 'a')).toEqual({ ok: true });
      });

      it('refuses to release a seat in checkout until the order ends, publishing nothing', async () => {
        const { eventId, rec } = await ready();
        const expiries = await held(eventId, ALICE, ['a', 'b']);
        const begun = await store.beginCheckout(eventId, ALICE, ['a', 'b'], TTL * 2, 'key-1');
        if (!begun.ok) throw new Error(JSON.stringify(begun));
        await rec.take();
        // Another order of the seats is refused; a retry of this one (same key) takes it over.
        expect(await store.beginCheckout(eventId, ALICE, ['b'], TTL * 2, 'key-2')).toEqual({
          ok: false,
          reason: 'CHECKOUT_IN_PROGRESS',
          seats: ['b'],
        });
        expect((await store.beginCheckout(eventId, ALICE, ['b'], TTL * 2, 'key-1')).ok).toBe(true);
        expect(await store.release(eventId, ALICE, 'a')).toEqual({
          ok: false,
          reason: 'CHECKOUT_IN_PROGRESS',
        });
        expect(await store.release(eventId, BOB, 'a')).toEqual({ ok: false, reason: 'NOT_OWNER' });
        // Holding it again from another tab is harmless: it keeps its (pushed) expiry.
        const again = await hold(eventId, ALICE, ['a']);
        expect(again.ok).toBe(true);
        expect(await rec.take()).toEqual([]);
        expect(await view(eventId)).toMatchObject({ held: ['a', 'b'] });
        // The sale ends b's checkout with the seat; the abort ends a's and gives its expiry back.
        expect(await store.markSold(eventId, ['b'], 'buyer')).toEqual({ ok: true, changed: 1 });
        expect(await store.release(eventId, ALICE, 'b')).toEqual({
          ok: false,
          reason: 'HOLD_NOT_FOUND',
        });
        const previousA = begun.previous.filter((p) => p.seatId === 'a');
        expect(await store.abortCheckout(eventId, ALICE, previousA)).toEqual({
          ok: true,
          changed: 1,
        });
        expect((await view(eventId, ALICE)).mine).toEqual([
          { seatId: 'a', expiresAt: expiries.get('a') },
        ]);
        expect(await store.release(eventId, ALICE, 'a')).toEqual({ ok: true });
      });

      it('lets a checkout whose deadline has passed go (its process may have died)', async () => {
        const { eventId } = await ready();
        await held(eventId, ALICE, ['a']);
        const begun = await store.beginCheckout(eventId, ALICE, ['a'], 1);
        expect(begun.ok).toBe(true);
        await sleep(20);
        expect(await store.release(eventId, ALICE, 'a')).toEqual({ ok: true });
      });

      it('markSold sells whoever held the seats, once, in request order', async () => {
        const { eventId, rec } = await ready();
        await held(eventId, ALICE, ['a']);
        await held(eventId, BOB, ['b']);
        await rec.take();
        expect(await store.markSold(eventId, ['c', 'a', 'b'], 'buyer')).toEqual({
          ok: true,
          changed: 3,
        });
        const batches = await rec.take();
        expect(batches).toHaveLength(1);
        expect(changeList(batches)).toEqual(['SOLD c', 'SOLD a', 'SOLD b']);
        expect(await view(eventId, ALICE)).toMatchObject({
          held: [],
          sold: ['a', 'b', 'c'],
          mine: [],
        });
        expect(await store.markSold(eventId, ['a', 'd', 'd'], 'buyer')).toEqual({
          ok: true,
          changed: 1,
        });
        expect(changeList(await rec.take())).toEqual(['SOLD d']);
        expect(await store.markSold(eventId, ['a', 'b'], 'buyer')).toEqual({
          ok: true,
          changed: 0,
        });
        expect(await rec.take()).toEqual([]);
        expect(await store.release(eventId, ALICE, 'a')).toEqual({
          ok: false,
          reason: 'HOLD_NOT_FOUND',
        });
        expect(await store.beginCheckout(eventId, ALICE, ['a'], 1_000)).toEqual({
          ok: false,
          reason: 'SEAT_SOLD',
          seats: ['a'],
        });
      });
    });

    describe('extend', () => {
      it('gives every live hold of the session ttl more from now, once per hold', async () => {
        const { eventId, rec } = await ready();
        const short = await held(eventId, ALICE, ['b', 'a'], 5_000);
        await held(eventId, BOB, ['c'], 5_000);
        await rec.take();
        const before = Date.now();
        const extended = await store.extend(eventId, ALICE, TTL);
        if (!extended.ok) throw new Error(JSON.stringify(extended));
        expect(extended.holds.map((h) => h.seatId)).toEqual(['a', 'b']);
        for (const h of extended.holds) {
          expect(h.expiresAt).toBeGreaterThanOrEqual(before + TTL - SKEW);
          expect(h.expiresAt).toBeGreaterThan(short.get(h.seatId) ?? 0);
        }
        expect((await view(eventId, ALICE)).mine).toEqual(extended.holds);
        // At most once: a retry changes nothing.
        expect(await store.extend(eventId, ALICE, TTL)).toEqual({
          ok: false,
          reason: 'ALREADY_EXTENDED',
        });
        expect((await view(eventId, ALICE)).mine).toEqual(extended.holds);
        // Other sessions' holds are left alone; no change is published.
        expect((await view(eventId, BOB)).mine[0]?.expiresAt).toBeLessThan(before + TTL - SKEW);
        expect(await rec.take()).toEqual([]);
      });

      it('extends holds placed after an extension, and a seat held again starts afresh', async () => {
        const { eventId, rec } = await ready();
        await held(eventId, ALICE, ['a', 'b'], 5_000);
        expect(await store.extend(eventId, ALICE, TTL)).toMatchObject({ ok: true });
        const [, b] = await held(eventId, ALICE, ['c'], 5_000)
          .then(() => view(eventId, ALICE))
          .then((v) => v.mine);
        const again = await store.extend(eventId, ALICE, TTL);
        expect(again).toMatchObject({
          ok: true,
          holds: [{ seatId: 'a' }, { seatId: 'b' }, { seatId: 'c' }],
        });
        expect(again.ok && again.holds[1]).toEqual(b);
        expect(await store.release(eventId, ALICE, 'a')).toEqual({ ok: true });
        expect(await store.release(eventId, ALICE, 'b')).toEqual({ ok: true });
        expect(await store.release(eventId, ALICE, 'c')).toEqual({ ok: true });
        await held(eventId, ALICE, ['a'], 5_000);
        expect(await store.extend(eventId, ALICE, TTL)).toMatchObject({ ok: true });
        await rec.take();
      });

      it('answers HOLD_NOT_FOUND without a live hold, leaves lapsed ones to the sweeper', async () => {
        const { eventId, rec } = await ready(['s1']);
        expect(await store.extend(eventId, ALICE, TTL)).toEqual({
          ok: false,
          reason: 'HOLD_NOT_FOUND',
        });
        await held(eventId, ALICE, ['a']);
        await harness.ageHold(eventId, 'a');
        await rec.take();
        expect(await store.extend(eventId, ALICE, TTL)).toEqual({
          ok: false,
          reason: 'HOLD_NOT_FOUND',
        });
        expect(await rec.take()).toEqual([]);
        expect(await view(eventId)).toMatchObject({ held: ['a'] });
      });

      it('leaves seats in checkout alone; all in checkout: CHECKOUT_IN_PROGRESS', async () => {
        const { eventId, rec } = await ready();
        await held(eventId, ALICE, ['a', 'b'], 5_000);
        expect(await store.beginCheckout(eventId, ALICE, ['a', 'b'], 1_000)).toMatchObject({
          ok: true,
        });
        expect(await store.extend(eventId, ALICE, TTL)).toEqual({
          ok: false,
          reason: 'CHECKOUT_IN_PROGRESS',
          seats: ['a', 'b'],
        });
        await held(eventId, ALICE, ['c'], 5_000);
        const before = await view(eventId, ALICE);
        const extended = await store.extend(eventId, ALICE, TTL);
        expect(extended).toMatchObject({ ok: true });
        const after = extended.ok ? extended.holds : [];
        expect(after.slice(0, 2)).toEqual(before.mine.slice(0, 2));
        expect(after[2]?.expiresAt).toBeGreaterThan(before.mine[2]?.expiresAt ?? Infinity);
        await rec.take();
      });
    });

    describe('unmarkSold', () => {
      it('frees the SOLD seats among those listed, once, leaving held and free ones', async () => {
        const { eventId, rec } = await ready(['s1', 's2']);
        await held(eventId, ALICE, ['a']);
        await rec.take();
        expect(await store.unmarkSold(eventId, ['s2', 'a', 'free', 's2'])).toEqual({
          ok: true,
          changed: 1,
        });
        const batches = await rec.take();
        expect(batches).toHaveLength(1);
        expect(changeList(batches)).toEqual(['AVAILABLE s2']);
        expect(await view(eventId)).toMatchObject({ held: ['a'], sold: ['s1'] });
        expect(await store.unmarkSold(eventId, ['s2'])).toEqual({ ok: true, changed: 0 });
        expect(await rec.take()).toEqual([]);
        // A freed seat can be held and sold again.
        await held(eventId, BOB, ['s2']);
        expect(await store.markSold(eventId, ['s2'], 'buyer')).toEqual({ ok: true, changed: 1 });
      });

      it('with a buyer, frees only the seats still SOLD to that buyer', async () => {
        const { eventId, rec } = await ready([
          { seatId: 's1', sessionId: ALICE },
          { seatId: 's2', sessionId: BOB },
        ]);
        expect(await store.unmarkSold(eventId, ['s1', 's2'], ALICE)).toEqual({
          ok: true,
          changed: 1,
        });
        expect(changeList(await rec.take())).toEqual(['AVAILABLE s1']);
        // s1 sold again, to Bob: a late free naming Alice leaves it SOLD.
        expect(await store.markSold(eventId, ['s1'], BOB)).toEqual({ ok: true, changed: 1 });
        await rec.take();
        expect(await store.unmarkSold(eventId, ['s1'], ALICE)).toEqual({ ok: true, changed: 0 });
        expect(await rec.take()).toEqual([]);
        expect(await view(eventId)).toMatchObject({ held: [], sold: ['s1', 's2'] });
      });
    });

    describe('handOver', () => {
      it('moves seats SOLD to the buyer straight to a hold of the receiver, one HELD each', async () => {
        const { eventId, rec } = await ready([
          { seatId: 's1', sessionId: ALICE },
          { seatId: 's2', sessionId: ALICE },
          { seatId: 's3', sessionId: BOB },
        ]);
        const before = Date.now();
        const outcome = await store.handOver({
          eventId,
          seatIds: ['s2', 's1', 's3', 'free', 's1'],
          from: { sold: ALICE },
          to: 'carol',
          ttlMs: TTL,
        });
        if (!outcome.ok) throw new Error('not ready');
        expect(outcome.seatIds).toEqual(['s2', 's1']);
        expect(outcome.expiresAt).toBeGreaterThanOrEqual(before + TTL - SKEW);
        // Never AVAILABLE on the way: one batch of HELD changes.
        const batches = await rec.take();
        expect(batches).toHaveLength(1);
        expect(changeList(batches)).toEqual(['HELD s2', 'HELD s1']);
        expect(await view(eventId, 'carol')).toMatchObject({
          held: ['s1', 's2'],
          sold: ['s3'],
          mine: [
            { seatId: 's1', expiresAt: outcome.expiresAt },
            { seatId: 's2', expiresAt: outcome.expiresAt },
          ],
        });
        // Nobody else can take them; the seller's sales no longer count towards its limit.
        expect(await hold(eventId, BOB, ['s1'])).toMatchObject({ ok: false, reason: 'TAKEN' });
        expect((await hold(eventId, ALICE, ['free', 'x'], { maxSeats: 2 })).ok).toBe(true);
        // The receiver checks out as with any hold of its own.
        expect((await store.beginCheckout(eventId, 'carol', ['s1', 's2'], 5_000)).ok).toBe(true);
        expect(await store.markSold(eventId, ['s1', 's2'], 'carol')).toEqual({
          ok: true,
          changed: 2,
        });
      });

      it('moves holds of the giver outside checkout, or frees them without a receiver', async () => {
        const { eventId, rec } = await ready();
        await held(eventId, BOB, ['h1', 'h2', 'h3']);
        await held(eventId, ALICE, ['a1']);
        expect((await store.beginCheckout(eventId, BOB, ['h3'], 5_000)).ok).toBe(true);
        await rec.take();
        const moved = await store.handOver({
          eventId,
          seatIds: ['h1', 'h3', 'a1'],
          from: { held: BOB },
          to: 'carol',
          ttlMs: TTL,
        });
        expect(moved).toMatchObject({ ok: true, seatIds: ['h1'] });
        expect(changeList(await rec.take())).toEqual(['HELD h1']);
        expect(await mineIds(eventId, BOB)).toEqual(['h2', 'h3']);
        expect(await mineIds(eventId, 'carol')).toEqual(['h1']);
        const freed = await store.handOver({
          eventId,
          seatIds: ['h1', 'h2'],
          from: { held: 'carol' },
          ttlMs: TTL,
        });
        expect(freed).toMatchObject({ ok: true, seatIds: ['h1'] });
        expect(changeList(await rec.take())).toEqual(['AVAILABLE h1']);
        expect(await view(eventId)).toMatchObject({ held: ['a1', 'h2', 'h3'] });
        expect((await held(eventId, ALICE, ['h1'])).has('h1')).toBe(true);
      });

      it('answers NOT_READY before restore', async () => {
        const eventId = newEventId();
        const args = { eventId, seatIds: ['s1'], from: { sold: ALICE }, ttlMs: TTL };
        expect(await store.handOver(args)).toEqual(NOT_READY);
      });
    });

    describe('expire', () => {
      it('releases up to limit lapsed holds, earliest first', async () => {
        const { eventId, rec } = await ready();
        await held(eventId, ALICE, ['a', 'b', 'c', 'd']);
        await harness.ageHold(eventId, 'c');
        await sleep(5);
        await harness.ageHold(eventId, 'a');
        await sleep(5);
        await harness.ageHold(eventId, 'd');
        await rec.take();
        expect(await store.expire(eventId, 2)).toEqual({ ok: true, changed: 2 });
        const batches = await rec.take();
        expect(batches).toHaveLength(1);
        expect(changeList(batches)).toEqual(['AVAILABLE c', 'AVAILABLE a']);
        expect(await store.expire(eventId, 0)).toEqual({ ok: true, changed: 0 });
        expect(await store.expire(eventId, 10)).toEqual({ ok: true, changed: 1 });
        expect(changeList(await rec.take())).toEqual(['AVAILABLE d']);
        expect(await store.expire(eventId, 10)).toEqual({ ok: true, changed: 0 });
        expect(await rec.take()).toEqual([]);
        expect(await view(eventId, ALICE)).toMatchObject({ held: ['b'] });
        expect(await mineIds(eventId, ALICE)).toEqual(['b']);
      });

      it('orders holds of equal expiry by seat id', async () => {
        const { eventId, rec } = await ready();
        await held(eventId, ALICE, ['s3', 's1', 's2'], 1);
        await sleep(20);
        expect(await mineIds(eventId, ALICE)).toEqual([]);
        await rec.take();
        expect(await store.expire(eventId, 2)).toEqual({ ok: true, changed: 2 });
        expect(changeList(await rec.take())).toEqual(['AVAILABLE s1', 'AVAILABLE s2']);
        expect(await store.expire(eventId, 2)).toEqual({ ok: true, changed: 1 });
        expect(changeList(await rec.take())).toEqual(['AVAILABLE s3']);
      });

      it('forgets holds released, sold or renewed before they lapse', async () => {
        const { eventId, rec } = await ready();
        await held(eventId, ALICE, ['a', 'b', 'c']);
        await harness.ageHold(eventId, 'a');
        await harness.ageHold(eventId, 'b');
        await harness.ageHold(eventId, 'c');
        expect((await store.release(eventId, ALICE, 'a')).ok).toBe(false);
        await store.markSold(eventId, ['b'], 'buyer');
        await held(eventId, BOB, ['c']);
        await rec.take();
        expect(await store.expire(eventId, 10)).toEqual({ ok: true, changed: 0 });
        expect(await rec.take()).toEqual([]);
        expect(await view(eventId, BOB)).toMatchObject({ held: ['c'], sold: ['b'] });
      });
    });

    describe('snapshot, counts and publishing', () => {
      it('counts SOLD and HELD seats, unswept holds included, null when not ready', async () => {
        const { eventId } = await ready(['x', 'y']);
        const unknown = newEventId();
        await held(eventId, ALICE, ['a', 'b']);
        await harness.ageHold(eventId, 'b');
        const counts = await store.counts([eventId, unknown]);
        expect([...counts]).toEqual([
          [eventId, { sold: 2, held: 2 }],
          [unknown, null],
        ]);
        await store.expire(eventId, 10);
        expect((await store.counts([eventId])).get(eventId)).toEqual({ sold: 2, held: 1 });
      });

      it('numbers every batch contiguously; the last seq is the snapshot seq', async () => {
        const eventId = newEventId();
        const rec = await record(eventId);
        const seen: ChangeBatch[] = [];
        const unsubscribe = await store.subscribe(eventId, (batch) => void seen.push(batch));
        await store.restore(eventId, sales(['x']));
        await held(eventId, ALICE, ['a', 'b', 'c']);
        await held(eventId, BOB, ['d']);
        await store.release(eventId, ALICE, 'b');
        await harness.ageHold(eventId, 'd');
        await held(eventId, ALICE, ['d']);
        await store.markSold(eventId, ['a', 'e'], 'buyer');
        await store.clear(eventId);
        await held(eventId, BOB, ['x']);
        await store.restore(eventId, sales(['y']));
        await harness.ageHold(eventId, 'x');
        await store.expire(eventId, 5);
        const batches = await rec.take();
        expect(batches.map((b) => b.kind)).toEqual([
          'replaced',
          ...Array<string>(5).fill('changes'),
          'replaced',
          'changes',
          'changes',
          'changes',
        ]);
        // restore 1, holds 3 + 1, release 1, renewal 2, sold 2, reset 1, hold 1, restore 1, expire 1
        expect(checkSequence(eventId, batches)).toBe(14);
        // A second subscriber of the same event sees the same batches.
        await waitFor(() => (seen.length > batches.length ? true : undefined), 'second subscriber');
        await unsubscribe();
        expect(seen.slice(0, batches.length)).toEqual(batches);
      });

      it('reset clears holds and sales, stays ready and takes one seq for its reset', async () => {
        const { eventId, rec } = await ready(['x']);
        await held(eventId, ALICE, ['a']);
        await rec.take();
        const { seq } = await view(eventId);
        await store.clear(eventId);
        const batches = await rec.take();
        expect(batches).toEqual([
          { kind: 'replaced', eventId, time: batches[0]?.time, seq: seq + 1 },
        ]);
        expect(await view(eventId, ALICE)).toEqual({
          seq: seq + 2, // the fence of rec.take()
          held: [],
          sold: [],
          mine: [],
        });
        expect((await hold(eventId, BOB, ['a', 'x'])).ok).toBe(true);
        expect(changeList(await rec.take())).toEqual(['HELD a', 'HELD x']);
      });

      it('delivers batches only to subscribers of the event, until they unsubscribe', async () => {
        const { eventId, rec } = await ready();
        const other = await ready();
        const seen: ChangeBatch[] = [];
        const unsubscribe = await store.subscribe(eventId, (batch) => void seen.push(batch));
        await held(other.eventId, ALICE, ['a']);
        await other.rec.take();
        await held(eventId, ALICE, ['b']);
        await rec.take();
        await waitFor(() => (seen.length >= 2 ? true : undefined), 'the fence');
        expect(changeList(seen)).toEqual(['HELD b', `SOLD ${FENCE}1`]);
        await unsubscribe();
        await held(eventId, ALICE, ['c']);
        expect(changeList(await rec.take())).toEqual(['HELD c']);
        expect(seen).toHaveLength(2);
      });

      it('answers ping', async () => {
        expect(await store.ping()).toBe(true);
      });
    });
  });
}
