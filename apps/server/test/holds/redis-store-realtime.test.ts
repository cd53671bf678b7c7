// The Redis hold store's publishing, restore after state loss, subscriptions and contention.
import { afterEach, describe, expect, it } from 'vitest';
import { Keys } from '../../src/holds/keys.js';
import type { ChangeBatch } from '../../src/holds/types.js';
import { sales } from './recorder.js';
import {
  collect,
  eventually,
  newClient,
  newStore,
  settle,
  startPrivateRedis,
} from './redis-helpers.js';

const EV = 'ev1';
const TTL = 60_000;
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(port?: number, options: { chunkSize?: number } = {}) {
  const created = newStore(port, options);
  cleanups.push(created.cleanup);
  return created;
}

/** Seqs of change batches must be contiguous from `from`. */
function seqs(batches: ChangeBatch[]): number[] {
  return batches.flatMap((b) => (b.kind === 'changes' ? b.changes.map((c) => c.seq) : [b.seq]));
}

describe('publishing', () => {
  it('publishes one batch per call with contiguous seqs that end at snapshot().seq', async () => {
    const { store } = setup();
    await store.restore(EV, sales(['S1']));
    const feed = await collect(store, EV);
    const hold = (sessionId: string, seatIds: string[], ttlMs = TTL) =>
      store.hold({ eventId: EV, sessionId, seatIds, ttlMs, maxSeats: 8 });
    await hold('a', ['A1', 'A2', 'A3']);
    await hold('b', ['A1']); // conflict: publishes nothing
    await store.release(EV, 'a', 'A2');
    await store.markSold(EV, ['A1', 'S1', 'B1'], 'buyer');
    await hold('b', ['C1'], 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await store.expire(EV, 10);
    const snapshot = await store.snapshot(EV);
    if (!snapshot.ok) throw new Error('not ready');
    await eventually(() => feed.changes().at(-1)?.seq === snapshot.seq);
    await settle(store);
    expect(feed.batches.map((b) => (b.kind === 'changes' ? b.changes.length : 0))).toEqual([
      3, 1, 2, 1, 1,
    ]);
    expect(seqs(feed.batches)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    for (const batch of feed.batches) {
      expect(batch.eventId).toBe(EV);
      expect(Math.abs(batch.time - Date.now())).toBeLessThan(5_000);
    }
  });

  it('keeps events apart: a listener hears only its event', async () => {
    const { store } = setup();
    await store.restore(EV, []);
    await store.restore('ev2', []);
    const one = await collect(store, EV);
    await store.markSold('ev2', ['X'], 'buyer');
    await store.markSold(EV, ['Y'], 'buyer');
    await eventually(() => one.batches.length === 1);
    await settle(store);
    expect(one.changes()).toEqual([{ seq: 1, seatId: 'Y', status: 'SOLD' }]);
  });
});

describe('restore', () => {
  it('publishes one reset when the state was missing, and SOLD changes once ready', async () => {
    const { store } = setup();
    const feed = await collect(store, EV);
    await store.restore(EV, sales(['A1', 'A2']));
    await store.restore(EV, sales(['A1', 'A2', 'A3']));
    await store.restore(EV, sales(['A1', 'A2', 'A3']));
    await settle(store);
    expect(feed.batches).toMatchObject([
      { kind: 'replaced', eventId: EV, seq: 2 },
      { kind: 'changes', changes: [{ seq: 3, seatId: 'A3', status: 'SOLD' }] },
    ]);
    expect(await store.snapshot(EV)).toMatchObject({ ok: true, seq: 3 });
  });

  it('restores a large venue in chunks, publishing only the final reset', async () => {
    const { store } = setup();
    const sold = Array.from({ length: 50_000 }, (_, i) => `S${i}`);
    const feed = await collect(store, EV);
    await store.restore(EV, sales(sold));
    const snapshot = await store.snapshot(EV);
    expect(snapshot.ok && snapshot.sold.length).toBe(50_000);
    expect(snapshot.ok && snapshot.seq).toBe(50_000);
    await store.restore(EV, sales([...sold, 'LAST']));
    await eventually(() => feed.batches.length === 2);
    expect(feed.batches[0]).toMatchObject({ kind: 'replaced', seq: 50_000 });
    expect(feed.batches[1]).toMatchObject({ kind: 'changes', changes: [{ seq: 50_001 }] });
  });

  it('a chunk of a not-ready event does not make it ready before the last one', async () => {
    const { store } = setup(undefined, { chunkSize: 2 });
    const feed = await collect(store, EV);
    await store.restore(EV, sales(['A', 'B', 'C', 'D', 'E']));
    expect(await store.snapshot(EV)).toMatchObject({ ok: true, seq: 5 });
    await settle(store);
    expect(feed.batches).toMatchObject([{ kind: 'replaced', seq: 5 }]);
  });

  it('after a FLUSHALL answers NOT_READY until restored (private redis-server)', async () => {
    const server = await startPrivateRedis();
    cleanups.push(server.stop);
    const { store, redis } = setup(server.port);
    await store.restore(EV, sales(['S1']));
    const held = await store.hold({
      eventId: EV,
      sessionId: 's',
      seatIds: ['A1'],
      ttlMs: TTL,
      maxSeats: 8,
    });
    expect(held.ok).toBe(true);
    const feed = await collect(store, EV);
    const before = await store.sequence(EV);
    await redis.flushall();
    expect(await store.snapshot(EV)).toEqual({ ok: false, reason: 'NOT_READY' });
    expect(await store.release(EV, 's', 'A1')).toEqual({ ok: false, reason: 'NOT_READY' });
    expect((await store.counts([EV])).get(EV)).toBeNull();
    expect(await store.sequence(EV)).toBeNull();
    await redis.script('FLUSH'); // as after a restart: the client must reload its scripts
    await store.restore(EV, sales(['S1', 'S2']));
    expect(await store.snapshot(EV)).toEqual({
      ok: true,
      seq: 2,
      epoch: expect.any(String),
      held: [],
      sold: expect.arrayContaining(['S1', 'S2']),
      mine: [],
    });
    // A new epoch: the rebuilt state is told from the lost one even at the same sequence number.
    const after = await store.sequence(EV);
    expect(after?.seq).toBe(2);
    expect(after?.epoch).not.toBe(before?.epoch);
    await eventually(() => feed.batches.length === 1);
    expect(feed.batches[0]).toMatchObject({ kind: 'replaced', seq: 2 });
  });
});

describe('subscribe', () => {
  it('uses one SSUBSCRIBE per event and drops it with the last listener', async () => {
    const { store, prefix } = setup();
    const channel = new Keys(prefix).event(EV).channel;
    const admin = newClient();
    cleanups.push(async () => void (await admin.quit()));
    const subscribers = async () => {
      const reply = await admin.call('PUBSUB', 'SHARDNUMSUB', channel);
      return Array.isArray(reply) ? Number(reply[1]) : NaN;
    };
    await store.restore(EV, []);
    const [a, b] = await Promise.all([collect(store, EV), collect(store, EV)]);
    expect(await subscribers()).toBe(1);
    await store.markSold(EV, ['X'], 'buyer');
    await eventually(() => a.batches.length === 1 && b.batches.length === 1);
    await a.unsubscribe();
    await a.unsubscribe();
    expect(await subscribers()).toBe(1);
    await store.markSold(EV, ['Y'], 'buyer');
    await eventually(() => b.batches.length === 2);
    expect(a.batches).toHaveLength(1);
    await b.unsubscribe();
    expect(await subscribers()).toBe(0);
    const c = await collect(store, EV);
    expect(await subscribers()).toBe(1);
    await store.markSold(EV, ['Z'], 'buyer');
    await eventually(() => c.batches.length === 1);
  });

  it('isolates a throwing listener', async () => {
    const errors: unknown[] = [];
    const created = newStore();
    cleanups.push(created.cleanup);
    const { RedisHoldStore } = await import('../../src/holds/redis/store.js');
    const store = new RedisHoldStore({
      redis: created.redis,
      prefix: created.prefix,
      onListenerError: (error) => errors.push(error),
    });
    cleanups.push(() => store.close());
    await store.restore(EV, []);
    await store.subscribe(EV, () => {
      throw new Error('boom');
    });
    const feed = await collect(store, EV);
    await store.markSold(EV, ['X'], 'buyer');
    await eventually(() => feed.batches.length === 1 && errors.length === 1);
  });
});

describe('contention and health', () => {
  it('200 sessions holding the same seat at once: exactly one wins', async () => {
    const { store } = setup();
    await store.restore(EV, []);
    const attempts = Array.from({ length: 200 }, (_, i) =>
      store.hold({ eventId: EV, sessionId: `s${i}`, seatIds: ['A1'], ttlMs: TTL, maxSeats: 8 }),
    );
    const outcomes = await Promise.allSettled(attempts);
    const fulfilled = outcomes.map((o) => (o.status === 'fulfilled' ? o.value : null));
    expect(fulfilled.filter((o) => o?.ok)).toHaveLength(1);
    expect(fulfilled.filter((o) => o && !o.ok && o.reason === 'TAKEN')).toHaveLength(199);
    expect(await store.snapshot(EV)).toMatchObject({ ok: true, seq: 1, held: ['A1'] });
  });

  it('ping answers true, and false without throwing when Redis is gone', async () => {
    const { store } = setup();
    expect(await store.ping()).toBe(true);
    const server = await startPrivateRedis();
    cleanups.push(server.stop);
    // Not setup(): its cleanup would wait on the stopped server.
    const dead = newStore(server.port);
    cleanups.push(async () => {
      await dead.store.close();
      dead.redis.disconnect();
    });
    dead.redis.on('error', () => undefined);
    expect(await dead.store.ping()).toBe(true);
    await server.stop();
    expect(await dead.store.ping()).toBe(false);
  });
});
