// The QueueStore contract (queue/README.md) as a reusable Vitest suite, run unchanged against the
// Redis store and the in-process one. Real clocks: states are waited for, orders asserted, and
// rate bounds measured against the time that really passed.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standing } from '../../src/domain/admission.js';
import { draw, seedCommitment, verifyDraw } from '../../src/domain/draw.js';
import type {
  EntryRecord,
  QueueSettings,
  QueueState,
  QueueStore,
  StoredEntry,
  StoredQueue,
} from '../../src/queue/types.js';
import { until } from '../support/wait.js';

export interface QueueHarness {
  store: QueueStore;
  /** Another replica's view of the same queues (the same store in process). */
  twin: QueueStore;
  close(): Promise<void>;
}

const AVAILABLE = { available: true, soldOut: false };

const newEventId = () => `ev-${randomUUID()}`;
const newSeed = () => randomBytes(32).toString('hex');

function settings(overrides: Partial<QueueSettings> = {}): QueueSettings {
  const now = Date.now();
  return {
    opensAt: now - 1_000,
    salesStartAt: now + 60_000,
    admitPerMinute: 600,
    admissionSeconds: 600,
    powBits: 0,
    ...overrides,
  };
}

/** Spearman's rank correlation of two rankings of the same n items (no ties). */
function spearman(a: number[], b: number[]): number {
  const n = a.length;
  const d2 = a.reduce((sum, x, i) => sum + (x - (b[i] ?? 0)) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

/** Fixed seeds, so the correlation bound is checked on the same draws every run. */
const fixedSeed = (run: number) =>
  createHash('sha256').update(`contract-draw-${run}`).digest('hex');

const statusOf = (entry: EntryRecord, queue: QueueState, now: number) =>
  standing({ ...entry, ...queue }, now).status;

export function queueStoreContract(name: string, makeHarness: () => Promise<QueueHarness>): void {
  describe(`QueueStore contract: ${name}`, () => {
    let harness: QueueHarness;
    let store: QueueStore;

    beforeAll(async () => {
      harness = await makeHarness();
      store = harness.store;
    });
    afterAll(async () => {
      await harness?.close();
    });

    /** A queue whose sales start `inMs` from now, with `count` sessions in its pre-queue. */
    async function prequeued(count: number, inMs: number, overrides: Partial<QueueSettings> = {}) {
      const eventId = newEventId();
      const seed = newSeed();
      // Sales far off while the line forms (a slow join must not land after the start), then
      // moved to `inMs` from now: the seed and the line stay.
      const far = settings({ salesStartAt: Date.now() + 600_000, ...overrides });
      expect(await store.configure(eventId, far, seed)).toMatchObject({ ok: true });
      const tickets: string[] = [];
      for (let i = 0; i < count; i++) {
        const joined = await store.join(eventId, `s${i}`, `t-${randomUUID()}`, 0);
        if (!joined.ok) throw new Error(`join refused: ${joined.reason}`);
        tickets.push(joined.entry.ticketId);
      }
      const salesStartAt = Date.now() + inMs;
      expect(await store.configure(eventId, { ...far, salesStartAt }, newSeed())).toMatchObject({
        ok: true,
      });
      await sleep(Math.max(0, salesStartAt - Date.now()) + 5);
      return { eventId, seed, tickets };
    }

    it('creates a queue with a public commitment, replaces it before sales and refuses after', async () => {
      const eventId = newEventId();
      const seed = newSeed();
      expect(await store.get(eventId)).toEqual({ ok: false, reason: 'QUEUE_NOT_FOUND' });
      const created = await store.configure(eventId, settings(), seed);
      expect(created).toMatchObject({
        ok: true,
        queue: {
          admitPerMinute: 600,
          paused: false,
          drawn: false,
          servedThrough: 0,
          seedCommitment: seedCommitment(Buffer.from(seed, 'hex')),
        },
      });
      const replaced = await harness.twin.configure(
        eventId,
        settings({ admitPerMinute: 60 }),
        newSeed(),
      );
      expect(replaced).toMatchObject({ ok: true, queue: { admitPerMinute: 60 } });
      if (!created.ok || !replaced.ok) throw new Error('refused');
      expect(replaced.queue.seedCommitment).toBe(created.queue.seedCommitment);
      expect(await store.patch(eventId, { paused: true, admitPerMinute: 120 })).toMatchObject({
        ok: true,
        queue: { paused: true, admitPerMinute: 120 },
      });
      expect(await harness.twin.get(eventId)).toMatchObject({ queue: { paused: true } });
      expect(await store.patch(newEventId(), { paused: true })).toEqual({
        ok: false,
        reason: 'QUEUE_NOT_FOUND',
      });

      const started = newEventId();
      await store.configure(started, settings({ salesStartAt: Date.now() - 1 }), seed);
      expect(await store.configure(started, settings(), seed)).toEqual({
        ok: false,
        reason: 'QUEUE_STARTED',
      });
    });

    it('refuses joins before opensAt and answers a session its one entry', async () => {
      const eventId = newEventId();
      const opensAt = Date.now() + 60_000;
      await store.configure(eventId, settings({ opensAt, salesStartAt: opensAt + 1 }), newSeed());
      expect(await store.join(eventId, 'a', 't1', 0)).toEqual({
        ok: false,
        reason: 'QUEUE_NOT_OPEN',
        opensAt,
      });
      expect(await store.join(newEventId(), 'a', 't1', 0)).toEqual({
        ok: false,
        reason: 'QUEUE_NOT_FOUND',
      });
      expect(await store.entry(eventId, 'a')).toEqual({ ok: false, reason: 'QUEUE_NOT_JOINED' });

      const open = newEventId();
      await store.configure(open, settings(), newSeed());
      const first = await store.join(open, 'a', 't1', 0);
      expect(first).toMatchObject({
        ok: true,
        created: true,
        entry: { ticketId: 't1', number: null },
      });
      expect(await harness.twin.join(open, 'a', 't2', 0)).toMatchObject({
        ok: true,
        created: false,
        entry: { ticketId: 't1' },
      });
      const entry = await store.entry(open, 'a');
      if (!entry.ok) throw new Error('no entry');
      expect(statusOf(entry.entry, entry.queue, entry.now)).toBe('prequeue');
    });

    it('refuses a new entry whose proof is short of powBits, writing nothing', async () => {
      const eventId = newEventId();
      await store.configure(eventId, settings({ powBits: 4 }), newSeed());
      expect(await store.join(eventId, 'a', 't1', 3)).toEqual({
        ok: false,
        reason: 'PROOF_REQUIRED',
        powBits: 4,
      });
      expect(await store.entry(eventId, 'a')).toEqual({ ok: false, reason: 'QUEUE_NOT_JOINED' });
      expect(await store.join(eventId, 'a', 't1', 4)).toMatchObject({ ok: true, created: true });
      // In line already: no proof asked again.
      expect(await harness.twin.join(eventId, 'a', 't2', 0)).toMatchObject({
        ok: true,
        created: false,
        entry: { ticketId: 't1' },
      });
    });

    it("refuses a session's joins past its limit, writing nothing, other sessions unaffected", async () => {
      const eventId = newEventId();
      await store.configure(eventId, settings({ powBits: 4 }), newSeed());
      const limit = { max: 3, windowMs: 60_000 };
      // Refused proofs count: a flood before the first entry is limited too.
      for (let i = 0; i < 3; i++) {
        expect(await store.join(eventId, 'flood', `f${i}`, 0, limit)).toMatchObject({
          reason: 'PROOF_REQUIRED',
        });
      }
      const refused = await harness.twin.join(eventId, 'flood', 'f3', 4, limit);
      expect(refused).toMatchObject({ ok: false, reason: 'RATE_LIMITED' });
      if (refused.ok || refused.reason !== 'RATE_LIMITED') throw new Error('not limited');
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(limit.windowMs);
      expect(await store.entry(eventId, 'flood')).toEqual({
        ok: false,
        reason: 'QUEUE_NOT_JOINED',
      });
      expect(await store.get(eventId)).toMatchObject({ ok: true, queue: { joined: 0 } });

      // A session in line: its repeated joins count, its entry stays as it was.
      expect(await store.join(eventId, 'a', 'a1', 4, limit)).toMatchObject({ created: true });
      for (const ticketId of ['a2', 'a3']) {
        expect(await harness.twin.join(eventId, 'a', ticketId, 4, limit)).toMatchObject({
          created: false,
          entry: { ticketId: 'a1' },
        });
      }
      expect(await store.join(eventId, 'a', 'a4', 4, limit)).toMatchObject({
        reason: 'RATE_LIMITED',
      });
      // Other sessions have their own window; without a limit nothing is counted.
      expect(await store.join(eventId, 'b', 'b1', 4, limit)).toMatchObject({ created: true });
      expect(await store.join(eventId, 'a', 'a5', 4)).toMatchObject({ created: false });
      expect(await store.get(eventId)).toMatchObject({ ok: true, queue: { joined: 2 } });
    });

    it('lets a limited session join again once its window has room', async () => {
      const eventId = newEventId();
      await store.configure(eventId, settings(), newSeed());
      const limit = { max: 2, windowMs: 400 };
      expect(await store.join(eventId, 'a', 't1', 0, limit)).toMatchObject({ created: true });
      expect(await store.join(eventId, 'a', 't2', 0, limit)).toMatchObject({ created: false });
      const refused = await store.join(eventId, 'a', 't3', 0, limit);
      expect(refused).toMatchObject({ reason: 'RATE_LIMITED' });
      await sleep(450);
      expect(await harness.twin.join(eventId, 'a', 't4', 0, limit)).toMatchObject({
        ok: true,
        created: false,
        entry: { ticketId: 't1' },
      });
    });

    it('draws the pre-queue once by the seed, then numbers later joiners by arrival', async () => {
      const { eventId, seed, tickets } = await prequeued(30, 300);
      expect(await store.audit(eventId)).toEqual({ ok: false, reason: 'QUEUE_NOT_DRAWN' });
      // Joined after sales started, before any replica drew: after the pre-queue, by arrival.
      expect(await store.join(eventId, 'late-1', 'late-t1', 0)).toMatchObject({
        entry: { number: null },
      });
      const ticks = await Promise.all([
        store.tick(eventId, { available: false, soldOut: false }),
        harness.twin.tick(eventId, { available: false, soldOut: false }),
      ]);
      expect(ticks.filter((t) => t.ok && t.drew)).toHaveLength(1);
      const later = await store.join(eventId, 'late-2', 'late-t2', 0);
      expect(later).toMatchObject({ entry: { number: 32 } });
      expect(await store.entry(eventId, 'late-1')).toMatchObject({ entry: { number: 31 } });

      const audit = await harness.twin.audit(eventId);
      if (!audit.ok) throw new Error('not drawn');
      expect(audit.seed).toBe(seed);
      expect(audit.seedCommitment).toBe(seedCommitment(Buffer.from(seed, 'hex')));
      expect(audit.prequeue).toEqual(draw(Buffer.from(seed, 'hex'), tickets));
      expect(verifyDraw(Buffer.from(audit.seed, 'hex'), audit.prequeue)).toBe(true);
      for (const [i] of tickets.entries()) {
        const entry = await store.entry(eventId, `s${i}`);
        const drawn = audit.prequeue.find((e) => e.ticketId === tickets[i]);
        expect(entry).toMatchObject({ entry: { number: drawn?.number } });
      }
    });

    it('draws 500 entries joined in order into a permutation of 1..500, uncorrelated, the same on both replicas', async () => {
      for (let run = 0; run < 3; run++) {
        const eventId = newEventId();
        const seed = fixedSeed(run);
        await store.configure(eventId, settings({ salesStartAt: Date.now() + 600_000 }), seed);
        const tickets = Array.from({ length: 500 }, (_, i) => `t-${run}-${i}`);
        for (const [i, ticketId] of tickets.entries()) {
          // Joins land on both replicas, in this order.
          const joined = await (i % 2 === 0 ? store : harness.twin).join(
            eventId,
            `s${i}`,
            ticketId,
            0,
          );
          expect(joined).toMatchObject({ ok: true, created: true });
        }
        // The settings may change before sales; the seed and the line stay.
        await store.configure(eventId, settings({ salesStartAt: Date.now() + 20 }), newSeed());
        await sleep(40);
        const ticks = await Promise.all([
          store.tick(eventId, { available: false, soldOut: false }),
          harness.twin.tick(eventId, { available: false, soldOut: false }),
        ]);
        expect(ticks.filter((t) => t.ok && t.drew)).toHaveLength(1);
        const numbers: number[] = [];
        for (let i = 0; i < 500; i++) {
          const [here, there] = await Promise.all([
            store.entry(eventId, `s${i}`),
            harness.twin.entry(eventId, `s${i}`),
          ]);
          if (!here.ok || !there.ok || here.entry.number === null) throw new Error('not drawn');
          expect(there.entry.number).toBe(here.entry.number);
          numbers.push(here.entry.number);
        }
        expect([...numbers].sort((x, y) => x - y)).toEqual(tickets.map((_, i) => i + 1));
        const rho = spearman(
          tickets.map((_, i) => i + 1),
          numbers,
        );
        expect(Math.abs(rho), `run ${run}`).toBeLessThan(0.15);
        // Anyone can recompute the numbers from the revealed seed.
        const audit = await harness.twin.audit(eventId);
        if (!audit.ok) throw new Error(audit.reason);
        expect(audit.seed).toBe(seed);
        expect(audit.prequeue).toEqual(draw(Buffer.from(seed, 'hex'), tickets));
        expect(verifyDraw(Buffer.from(audit.seed, 'hex'), audit.prequeue)).toBe(true);
        expect(new Map(audit.prequeue.map((e) => [e.ticketId, e.number]))).toEqual(
          new Map(tickets.map((t, i) => [t, numbers[i]])),
        );
        // Later joiners, on either replica, in arrival order after the pre-queue.
        for (let i = 0; i < 6; i++) {
          const late = await (i % 2 === 0 ? harness.twin : store).join(
            eventId,
            `late-${i}`,
            `late-t-${i}`,
            0,
          );
          expect(late).toMatchObject({ ok: true, entry: { number: 501 + i } });
        }
      }
    });

    it('admits 600 a minute: about 100 after 10 s of its clock, in order, paused at once, a new rate at once', async () => {
      const count = 400;
      const { eventId } = await prequeued(count, 50, { admitPerMinute: 600 });
      const clock = async () => {
        const e = await store.entry(eventId, 's0');
        if (!e.ok) throw new Error(e.reason);
        return e.now;
      };
      // The bucket fills from the draw: the rate is measured on the store's own clock, from
      // just before the draw (the upper bound) and just after it (the lower one).
      const beforeDraw = await clock();
      expect(await store.tick(eventId, AVAILABLE)).toMatchObject({ ok: true, drew: true });
      const drawnAt = await clock();
      const numberOf = new Map<string, number>();
      for (let i = 0; i < count; i++) {
        const e = await store.entry(eventId, `s${i}`);
        if (!e.ok || e.entry.number === null) throw new Error('not drawn');
        numberOf.set(`s${i}`, e.entry.number);
      }
      /** Every entry: admitted exactly when its number is at most servedThrough, nobody skipped. */
      const checkOrder = async () => {
        const admitted: number[] = [];
        let served = 0;
        for (let i = 0; i < count; i++) {
          const e = await harness.twin.entry(eventId, `s${i}`);
          if (!e.ok) throw new Error(e.reason);
          served = Math.max(served, e.queue.servedThrough);
          if (statusOf(e.entry, e.queue, e.now) === 'admitted')
            admitted.push(numberOf.get(`s${i}`)!);
        }
        admitted.sort((a, b) => a - b);
        expect(admitted).toEqual(admitted.map((_, i) => i + 1));
        return admitted.length;
      };
      let checked = 0;
      let now = drawnAt;
      let served = 0;
      while (now - drawnAt < 10_000) {
        const [a, b] = await Promise.all([
          store.tick(eventId, AVAILABLE),
          harness.twin.tick(eventId, AVAILABLE),
        ]);
        for (const t of [a, b]) if (t.ok) served = Math.max(served, t.servedThrough);
        now = await clock();
        if (now - drawnAt > (checked + 1) * 2_500) {
          checked++;
          expect(await checkOrder()).toBeGreaterThanOrEqual(served);
        }
        await sleep(50);
      }
      const elapsed = now - drawnAt;
      const expected = (elapsed * 600) / 60_000;
      // 10 s of the store's clock (a little more on a slow pass): ±20 % of what it allows.
      expect(elapsed).toBeGreaterThanOrEqual(10_000);
      expect(served).toBeGreaterThanOrEqual(Math.floor(expected * 0.8));
      expect(served).toBeLessThanOrEqual(Math.ceil(expected * 1.2));
      expect(served).toBeLessThanOrEqual(Math.floor(((now - beforeDraw) * 600) / 60_000) + 1);

      // Paused: the next tick admits nothing, on either replica.
      const paused = await harness.twin.patch(eventId, { paused: true });
      if (!paused.ok) throw new Error(paused.reason);
      const atPause = paused.queue.servedThrough;
      const pausedAt = await clock();
      while ((await clock()) - pausedAt < 1_000) {
        for (const t of await Promise.all([
          store.tick(eventId, AVAILABLE),
          harness.twin.tick(eventId, AVAILABLE),
        ])) {
          expect(t).toMatchObject({ ok: true, admitted: 0, servedThrough: atPause });
        }
        await sleep(50);
      }

      // A new rate through one replica drives both at once: 6,000 a minute is 100 a second.
      await store.patch(eventId, { paused: false, admitPerMinute: 6_000 });
      const changedAt = await clock();
      let after = atPause;
      while ((await clock()) - changedAt < 1_000) {
        for (const t of await Promise.all([
          store.tick(eventId, AVAILABLE),
          harness.twin.tick(eventId, AVAILABLE),
        ])) {
          if (t.ok) after = Math.max(after, t.servedThrough);
        }
        await sleep(50);
      }
      const window = (await clock()) - changedAt;
      // At the old rate a second would admit 10; the new one 100 (less the first tick's wait).
      expect(after - atPause).toBeGreaterThanOrEqual(50);
      expect(after - atPause).toBeLessThanOrEqual(Math.floor((window * 6_000) / 60_000) + 1);
      await checkOrder();
    }, 60_000);

    it('admits in order at the rate, never more with two replicas ticking at once', async () => {
      const { eventId } = await prequeued(60, 100, { admitPerMinute: 1_200 });
      const start = Date.now();
      await store.tick(eventId, AVAILABLE);
      let served = 0;
      while (Date.now() - start < 1_000) {
        const results = await Promise.all([
          store.tick(eventId, AVAILABLE),
          harness.twin.tick(eventId, AVAILABLE),
          store.tick(eventId, AVAILABLE),
        ]);
        for (const r of results) if (r.ok) served = Math.max(served, r.servedThrough);
        await sleep(20);
      }
      const elapsed = Date.now() - start;
      // 1,200 a minute is 20 a second: never more than the time allows, and not far less.
      expect(served).toBeLessThanOrEqual(Math.floor((elapsed * 1_200) / 60_000));
      expect(served).toBeGreaterThanOrEqual(10);
      for (let i = 0; i < 60; i++) {
        const entry = await store.entry(eventId, `s${i}`);
        if (!entry.ok || entry.entry.number === null) throw new Error('not numbered');
        const admitted = entry.entry.number <= entry.queue.servedThrough;
        expect(statusOf(entry.entry, entry.queue, entry.now)).toBe(
          admitted ? 'admitted' : 'waiting',
        );
        expect(await harness.twin.isAdmitted(eventId, `s${i}`)).toBe(admitted);
      }
    });

    it('admits nothing while paused or while nothing is available, and goes on after', async () => {
      const { eventId } = await prequeued(20, 50, { admitPerMinute: 6_000 });
      await store.patch(eventId, { paused: true });
      for (let i = 0; i < 5; i++) {
        expect(await store.tick(eventId, AVAILABLE)).toMatchObject({
          admitted: 0,
          servedThrough: 0,
        });
        await sleep(30);
      }
      await harness.twin.patch(eventId, { paused: false });
      for (let i = 0; i < 5; i++) {
        expect(await store.tick(eventId, { available: false, soldOut: false })).toMatchObject({
          servedThrough: 0,
        });
        await sleep(30);
      }
      const served = await until('queue state', async () => {
        const tick = await store.tick(eventId, AVAILABLE);
        return tick.ok && tick.servedThrough > 0 ? tick.servedThrough : undefined;
      });
      expect(served).toBeGreaterThan(0);
    });

    it('closes every waiting entry when sold out; admitted ones stay admitted', async () => {
      const { eventId } = await prequeued(10, 50, { admitPerMinute: 60 });
      await until('queue state', async () => {
        const tick = await store.tick(eventId, AVAILABLE);
        return tick.ok && tick.servedThrough >= 1 ? true : undefined;
      });
      await store.tick(eventId, { available: false, soldOut: true });
      const statuses = new Set<string>();
      for (let i = 0; i < 10; i++) {
        const entry = await harness.twin.entry(eventId, `s${i}`);
        if (!entry.ok) throw new Error('no entry');
        statuses.add(statusOf(entry.entry, entry.queue, entry.now));
      }
      expect([...statuses].sort()).toEqual(['admitted', 'closed']);
    });

    it('ends an admission after admissionSeconds', async () => {
      const { eventId } = await prequeued(1, 50, { admissionSeconds: 1 });
      await until('queue state', async () => {
        await store.tick(eventId, AVAILABLE);
        return (await store.isAdmitted(eventId, 's0')) ? true : undefined;
      });
      expect(await store.isAdmitted(newEventId(), 's0')).toBe(true);
      expect(await store.isAdmitted(eventId, 'stranger')).toBe(false);
      const entry = await until('queue state', async () => {
        const e = await store.entry(eventId, 's0');
        return e.ok && statusOf(e.entry, e.queue, e.now) === 'expired' ? e : undefined;
      });
      expect(entry.entry.admittedUntil).not.toBeNull();
      expect(await harness.twin.isAdmitted(eventId, 's0')).toBe(false);
    });

    it('counts its entries, and rearm starts it again whole at any time', async () => {
      const { eventId, tickets } = await prequeued(3, 30, { admitPerMinute: 60_000 });
      await until('admitted', async () => {
        await store.tick(eventId, AVAILABLE);
        return (await store.isAdmitted(eventId, 's2')) && (await store.isAdmitted(eventId, 's0'));
      });
      const before = await store.get(eventId);
      expect(before).toMatchObject({ ok: true, queue: { joined: 3, servedThrough: 3 } });
      const seed = newSeed();
      const later = settings({ salesStartAt: Date.now() + 60_000, admitPerMinute: 7 });
      const rearmed = await harness.twin.rearm(eventId, later, seed);
      expect(rearmed).toEqual({
        ...later,
        paused: false,
        seedCommitment: seedCommitment(Buffer.from(seed, 'hex')),
        drawn: false,
        servedThrough: 0,
        lastNumber: 0,
        soldOut: false,
        joined: 0,
      });
      expect(await store.entry(eventId, 's0')).toEqual({ ok: false, reason: 'QUEUE_NOT_JOINED' });
      expect(await store.isAdmitted(eventId, 's0')).toBe(false);
      const again = await store.join(eventId, 's0', tickets[0]!, 0);
      expect(again).toMatchObject({ ok: true, created: true, entry: { number: null } });
      expect(await store.get(eventId)).toMatchObject({ ok: true, queue: { joined: 1 } });
    });

    it('restores a lost queue from its stored state, once, whoever restores it', async () => {
      const eventId = newEventId();
      const seed = newSeed();
      const now = Date.now();
      const drawn = draw(Buffer.from(seed, 'hex'), ['p1', 'p2', 'p3']);
      const state: StoredQueue['state'] = {
        ...settings({ salesStartAt: now - 1_000 }),
        paused: false,
        seedCommitment: seedCommitment(Buffer.from(seed, 'hex')),
        drawn: true,
        servedThrough: 1,
        lastNumber: 4,
        soldOut: false,
      };
      const entries: StoredEntry[] = drawn.map(({ ticketId, number }) => ({
        // Number 3's session never reached the durable copy: the number stays, unowned.
        sessionId: number === 3 ? null : `s-${ticketId}`,
        ticketId,
        arrival: number,
        prequeue: true,
        number,
        admittedUntil: number === 1 ? now + 60_000 : null,
      }));
      entries.push({
        sessionId: 'after',
        ticketId: 'a1',
        arrival: 4,
        prequeue: false,
        number: 4,
        admittedUntil: null,
      });
      const stored = { state, seed, arrivals: 4, entries };
      await Promise.all([store.restore(eventId, stored), harness.twin.restore(eventId, stored)]);

      for (const e of entries) {
        if (e.sessionId === null) continue;
        const found = await store.entry(eventId, e.sessionId);
        expect(found).toMatchObject({
          ok: true,
          entry: { ticketId: e.ticketId, number: e.number, admittedUntil: e.admittedUntil },
        });
      }
      expect(await store.isAdmitted(eventId, `s-${drawn[0]!.ticketId}`)).toBe(true);
      const audit = await harness.twin.audit(eventId);
      if (!audit.ok) throw new Error(audit.reason);
      expect(audit.prequeue).toEqual(drawn);
      expect(verifyDraw(Buffer.from(audit.seed, 'hex'), audit.prequeue)).toBe(true);
      expect(await store.join(eventId, 'new', 't-new', 0)).toMatchObject({
        ok: true,
        entry: { number: 5 },
      });

      // A late restore (another replica's older copy) finds the queue live: nothing changes.
      await harness.twin.restore(eventId, {
        ...stored,
        state: { ...state, servedThrough: 0, lastNumber: 0 },
        entries: [],
      });
      expect(await store.get(eventId)).toMatchObject({
        ok: true,
        queue: { servedThrough: 1, lastNumber: 5 },
      });
      expect(await store.entry(eventId, 'new')).toMatchObject({ entry: { number: 5 } });
    });
  });
}
