// The in-process hold store: the shared contract, exact clock behaviour, delivery, the cost of
// sweeping a large event, and agreement with a naive transcription of holds/README.md.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryHoldStore } from '../../src/holds/memory/store.js';
import { MemoryQueueStore } from '../../src/queue/memory-store.js';
import type { ChangeBatch, HoldRequestArgs } from '../../src/holds/types.js';
import { holdStoreContract } from './contract.js';
import { NaiveModel, START, operation, sortedSnapshot, type Op } from './naive-model.js';
import { sales } from './recorder.js';

holdStoreContract('memory', async () => {
  const queues = new MemoryQueueStore();
  const store = new MemoryHoldStore({ admission: queues });
  return {
    store,
    queues,
    async ageHold(eventId, seatId) {
      if (!store.setExpiry(eventId, seatId, Date.now() - 1)) {
        throw new Error(`no hold of ${seatId} to age`);
      }
    },
    close: () => store.close(),
  };
});

function clockedStore(start = 1_000_000) {
  const clock = { now: start };
  const store = new MemoryHoldStore({ now: () => clock.now });
  const batches: ChangeBatch[] = [];
  return { clock, store, batches, listen: (b: ChangeBatch) => void batches.push(b) };
}

const args = (seatIds: string[], sessionId = 'alice', ttlMs = 100): HoldRequestArgs => ({
  eventId: 'e',
  sessionId,
  seatIds,
  ttlMs,
  maxSeats: 8,
});

describe('MemoryHoldStore', () => {
  it('stamps expiries and batches with its clock; a hold lapses when expiresAt <= now', async () => {
    const { clock, store, batches, listen } = clockedStore();
    await store.subscribe('e', listen);
    await store.restore('e', []);
    expect(await store.hold(args(['a', 'b', 'c']))).toEqual({
      ok: true,
      holds: ['a', 'b', 'c'].map((seatId) => ({ seatId, expiresAt: 1_000_100 })),
    });
    expect(batches[1]).toEqual({
      kind: 'changes',
      eventId: 'e',
      time: 1_000_000,
      changes: [
        { seq: 1, seatId: 'a', status: 'HELD' },
        { seq: 2, seatId: 'b', status: 'HELD' },
        { seq: 3, seatId: 'c', status: 'HELD' },
      ],
    });
    clock.now = 1_000_099;
    expect(await store.expire('e', 10)).toEqual({ ok: true, changed: 0 });
    expect(await store.release('e', 'bob', 'b')).toEqual({ ok: false, reason: 'NOT_OWNER' });
    expect(await store.hold(args(['c'], 'bob'))).toMatchObject({ reason: 'TAKEN' });
    expect(await store.snapshot('e', 'alice')).toMatchObject({ mine: [{}, {}, {}] });
    expect(batches).toHaveLength(2);

    clock.now = 1_000_100;
    expect(await store.snapshot('e', 'alice')).toMatchObject({ held: ['a', 'b', 'c'], mine: [] });
    expect(await store.beginCheckout('e', 'alice', ['a'], 50)).toMatchObject({
      reason: 'SEAT_NOT_HELD',
    });
    expect(await store.release('e', 'bob', 'b')).toEqual({ ok: false, reason: 'HOLD_NOT_FOUND' });
    expect(await store.hold(args(['c'], 'bob'))).toMatchObject({ ok: true });
    expect(await store.expire('e', 10)).toEqual({ ok: true, changed: 1 });
    expect(batches.slice(2).map((b) => b.kind === 'changes' && b.changes)).toEqual([
      [{ seq: 4, seatId: 'b', status: 'AVAILABLE' }],
      [
        { seq: 5, seatId: 'c', status: 'AVAILABLE' },
        { seq: 6, seatId: 'c', status: 'HELD' },
      ],
      [{ seq: 7, seatId: 'a', status: 'AVAILABLE' }],
    ]);
    expect(batches.at(-1)).toMatchObject({ time: 1_000_100 });
  });

  it('pushes a checkout expiry to max(expiresAt, now + window) and aborts back', async () => {
    const { clock, store } = clockedStore();
    await store.restore('e', []);
    await store.hold(args(['a', 'b']));
    clock.now += 10;
    await store.hold(args(['c'], 'alice', 5));
    const begun = await store.beginCheckout('e', 'alice', ['a', 'c'], 50);
    expect(begun).toEqual({
      ok: true,
      previous: [
        { seatId: 'a', expiresAt: 1_000_100 },
        { seatId: 'c', expiresAt: 1_000_015 },
      ],
    });
    expect(await store.snapshot('e', 'alice')).toMatchObject({
      mine: [
        { seatId: 'a', expiresAt: 1_000_100 },
        { seatId: 'b', expiresAt: 1_000_100 },
        { seatId: 'c', expiresAt: 1_000_060 },
      ],
    });
    if (!begun.ok) throw new Error('checkout refused');
    expect(await store.abortCheckout('e', 'alice', begun.previous)).toEqual({
      ok: true,
      changed: 2,
    });
    expect(await store.snapshot('e', 'alice')).toMatchObject({
      mine: [
        { seatId: 'a', expiresAt: 1_000_100 },
        { seatId: 'b', expiresAt: 1_000_100 },
        { seatId: 'c', expiresAt: 1_000_015 },
      ],
    });
  });

  it('setExpiry moves a hold only, publishing nothing', async () => {
    const { clock, store, batches, listen } = clockedStore();
    await store.subscribe('e', listen);
    expect(store.setExpiry('e', 'a', 0)).toBe(false);
    await store.restore('e', sales(['s']));
    await store.hold(args(['a']));
    expect(store.setExpiry('e', 'free', 0)).toBe(false);
    expect(store.setExpiry('e', 's', 0)).toBe(false);
    expect(store.setExpiry('e', 'a', clock.now + 5)).toBe(true);
    expect(batches).toHaveLength(2);
    expect(await store.snapshot('e', 'alice')).toMatchObject({
      seq: 2,
      mine: [{ seatId: 'a', expiresAt: clock.now + 5 }],
    });
  });

  it('delivers synchronously, in order, despite throwing and re-entrant listeners', async () => {
    const { store, batches, listen } = clockedStore();
    await store.restore('e', []);
    await store.subscribe('e', () => {
      throw new Error('bad listener');
    });
    let reentered = false;
    await store.subscribe('e', (batch) => {
      if (batch.kind === 'changes' && !reentered) {
        reentered = true;
        void store.markSold('e', ['z'], 'buyer');
      }
    });
    await store.subscribe('e', listen);
    const pending = store.hold(args(['a']));
    // The hold's batch and the one its listener caused arrived before the promise settled.
    expect(batches.map((b) => b.kind === 'changes' && b.changes.map((c) => c.seq))).toEqual([
      [1],
      [2],
    ]);
    expect((await pending).ok).toBe(true);
    const unsubscribe = await store.subscribe('e', listen);
    await unsubscribe();
    await store.release('e', 'alice', 'a');
    expect(batches).toHaveLength(3);
  });

  it('sweeps and holds on a 100,000-seat event without scanning it', async () => {
    const { clock, store } = clockedStore();
    await store.restore('big', []);
    for (let session = 0; session < 1_000; session++) {
      const seatIds = Array.from({ length: 100 }, (_, i) => `s${session * 100 + i}`);
      const outcome = await store.hold({
        eventId: 'big',
        sessionId: `u${session}`,
        seatIds,
        ttlMs: 60_000,
        maxSeats: 100,
      });
      expect(outcome.ok).toBe(true);
    }
    for (const seatId of ['s77777', 's12', 's50000']) store.setExpiry('big', seatId, clock.now - 1);
    clock.now += 1;

    // The counter sees a scan: a snapshot must list every seat.
    expect(countCollectionWork(() => void store.snapshot('big'))).toBeGreaterThan(100_000);
    let swept: Promise<unknown> = Promise.resolve();
    expect(countCollectionWork(() => void (swept = store.expire('big', 10)))).toBeLessThan(100);
    expect(await swept).toEqual({ ok: true, changed: 3 });
    let taken: Promise<unknown> = Promise.resolve();
    const request = { eventId: 'big', sessionId: 'late', ttlMs: 1, maxSeats: 8 };
    const holdWork = countCollectionWork(
      () => void (taken = store.hold({ ...request, seatIds: ['s12', 's13'] })),
    );
    expect(holdWork).toBeLessThan(100);
    expect(await taken).toMatchObject({ ok: false, held: ['s13'] });
    expect((await store.counts(['big'])).get('big')).toEqual({ sold: 0, held: 99_997 });
  });

  it('agrees with a naive transcription of the README under random calls', async () => {
    const calls = fc.array(operation, { minLength: 20, maxLength: 80, size: 'max' });
    await fc.assert(fc.asyncProperty(calls, checkAgainstModel), { numRuns: 300 });
  });
});

/**
 * Runs `work` synchronously (the store's methods do all their work before their first await) and
 * counts the Map/Set lookups and iterator steps it takes: a scan of n seats costs at least n.
 */
function countCollectionWork(work: () => void): number {
  let count = 0;
  const targets: Array<[object, string]> = [
    [Map.prototype, 'get'],
    [Map.prototype, 'has'],
    [Map.prototype, 'forEach'],
    [Set.prototype, 'has'],
    [Set.prototype, 'forEach'],
    [Object.getPrototypeOf(new Map().entries()) as object, 'next'],
    [Object.getPrototypeOf(new Set().values()) as object, 'next'],
    [Object.getPrototypeOf([].values()) as object, 'next'],
  ];
  type Method = (...rest: unknown[]) => unknown;
  const originals = targets.map(([target, key]) => Reflect.get(target, key) as Method);
  targets.forEach(([target, key], i) => {
    const original = originals[i] as Method;
    Reflect.set(target, key, function (this: unknown, ...rest: unknown[]) {
      count += 1;
      return original.apply(this, rest);
    });
  });
  try {
    work();
  } finally {
    targets.forEach(([target, key], i) => Reflect.set(target, key, originals[i]));
  }
  return count;
}

async function callStore(store: MemoryHoldStore, op: Op): Promise<unknown> {
  switch (op.kind) {
    case 'hold':
      return store.hold({
        eventId: op.event,
        sessionId: op.session,
        seatIds: op.seats,
        ttlMs: op.ttl,
        maxSeats: op.max,
        address: op.address,
        maxPerAddress: op.perAddress,
      });
    case 'release':
      return store.release(op.event, op.session, op.seat);
    case 'begin':
      return store.beginCheckout(op.event, op.session, op.seats, op.window);
    case 'abort':
      return store.abortCheckout(op.event, op.session, op.previous);
    case 'extend':
      return store.extend(op.event, op.session, op.ttl);
    case 'sold':
      return store.markSold(op.event, op.seats, op.buyer);
    case 'unsold':
      return store.unmarkSold(op.event, op.seats);
    case 'expire':
      return store.expire(op.event, op.limit);
    case 'snapshot': {
      // The naive model has no epochs (it never loses a state): compared without them.
      const s = await store.snapshot(op.event, op.session);
      if (!s.ok) return s;
      const { epoch: _epoch, ...rest } = s;
      return sortedSnapshot(rest);
    }
    case 'restore':
      return store.restore(op.event, sales(op.seats, op.buyer));
    case 'reset':
      await store.clear(op.event);
      return (await store.snapshot(op.event)).ok;
    case 'age':
      return store.setExpiry(op.event, op.seat, op.at);
    case 'tick':
      return undefined;
  }
}

async function checkAgainstModel(ops: Op[]): Promise<void> {
  const { clock, store, batches, listen } = clockedStore(START);
  const model = new NaiveModel(() => clock.now);
  await store.subscribe('e1', listen);
  await store.subscribe('e2', listen);
  for (const op of ops) {
    if (op.kind === 'tick') clock.now += op.ms;
    const expected = model.call(op);
    expect(await callStore(store, op), JSON.stringify(op)).toEqual(expected);
  }
  const counts = await store.counts(['e1', 'e2']);
  for (const [eventId, ev] of model.events) {
    const all = [...ev.seats.values()];
    const sold = all.filter((s) => s.status === 'SOLD').length;
    expect(counts.get(eventId)).toEqual({ sold, held: all.length - sold });
  }
  expect(batches).toEqual(model.batches);
}
