// The reconciler on real stores: the SOLD marks become exactly the ledger's sold seats, in both
// directions, and the healing store rebuilds a lost state before it answers.
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SelfHealingHoldStore } from '../../src/holds/self-healing.js';
import { MemoryHoldStore } from '../../src/holds/memory/store.js';
import type { ChangeBatch, HoldStore } from '../../src/holds/types.js';
import { Reconciler } from '../../src/jobs/reconciler.js';
import type { Ledger } from '../../src/ledger/types.js';
import { SqlLedger } from '../../src/ledger/sql-ledger.js';
import {
  engines,
  eventRecord,
  freshEventId,
  newOrder,
  sessionOf,
  type Opened,
} from '../ledger/fixtures.js';
import { newStore, settle } from '../holds/redis-helpers.js';

// Fastify's own logger, silenced: the reconciler only reports through it.
const log = Fastify({ logger: false }).log;

interface Backends {
  name: string;
  store: HoldStore;
  settle(): Promise<void>;
  close(): Promise<void>;
}

const stores: { name: string; open(): Promise<Backends> }[] = [
  {
    name: 'memory',
    open: async () => {
      const store = new MemoryHoldStore();
      return { name: 'memory', store, settle: async () => {}, close: () => store.close() };
    },
  },
  {
    name: 'redis',
    open: async () => {
      const { store, cleanup } = newStore();
      return { name: 'redis', store, settle: () => settle(store), close: cleanup };
    },
  },
];

describe.each(stores)('reconciler ($name store)', ({ open }) => {
  let backends: Backends;
  let opened: Opened;
  let ledger: Ledger;
  beforeAll(async () => {
    backends = await open();
    opened = await engines[backends.name === 'memory' ? 1 : 0]!.open();
    ledger = new SqlLedger(opened.db);
    await ledger.migrate();
  });
  afterAll(async () => {
    await backends.close();
    await opened.dispose();
  });

  it('marks what the ledger sold and frees SOLD marks without a live ticket', async () => {
    const eventId = freshEventId();
    await ledger.createEvent(eventRecord(eventId));
    const { store } = backends;
    const reconciler = new Reconciler(store, ledger, log);
    await reconciler.restore(eventId);
    // The ledger sells S01 behind the store's back (a process died before its SOLD mark); the
    // store has S02 SOLD with no ticket (its sale was cancelled while the store missed it).
    expect((await ledger.insertOrder(newOrder(eventId, 'buyer', 'k1', ['S01']))).ok).toBe(true);
    await store.markSold(eventId, ['S02'], 'buyer');
    await backends.settle();
    const batches: ChangeBatch[] = [];
    const stop = await store.subscribe(eventId, (batch) => batches.push(batch));
    await reconciler.reconcile([eventId]);
    await backends.settle();
    await stop();
    const snapshot = await store.snapshot(eventId);
    expect(snapshot.ok && snapshot.sold).toEqual(['S01']);
    const changes = batches.flatMap((b) => (b.kind === 'changes' ? b.changes : []));
    expect(changes.map((c) => `${c.status} ${c.seatId}`)).toEqual(['SOLD S01', 'AVAILABLE S02']);
    // In step now: a second pass changes nothing.
    await reconciler.reconcile([eventId]);
    const again = await store.snapshot(eventId);
    expect(again.ok && again.seq).toBe(snapshot.ok && snapshot.seq);
  });

  it('frees a cancelled sale, unless its seat is SOLD to another buyer since', async () => {
    const eventId = freshEventId();
    await ledger.createEvent(eventRecord(eventId));
    const { store } = backends;
    const reconciler = new Reconciler(store, ledger, log);
    await reconciler.restore(eventId);
    const placed = await ledger.insertOrder(newOrder(eventId, 'alice', 'k1', ['S05', 'S06']));
    if (!placed.ok) throw new Error('order refused');
    const alice = sessionOf(eventId, 'alice');
    await store.markSold(eventId, ['S05', 'S06'], alice);
    // Cancelled in the ledger, and the store missed the release of both seats; S05 was then
    // freed and sold to Bob, whose ticket the reconciler's ledger read comes too early to see.
    expect((await ledger.cancelOrder(placed.order.id, 0))?.cancelled).toBe(true);
    await store.unmarkSold(eventId, ['S05'], alice);
    await store.markSold(eventId, ['S05'], sessionOf(eventId, 'bob'));
    await reconciler.reconcile([eventId]);
    await backends.settle();
    const snapshot = await store.snapshot(eventId);
    expect(snapshot.ok && snapshot.sold).toEqual(['S05']);
  });

  it('the healing store rebuilds a lost state from the ledger before it answers', async () => {
    const eventId = freshEventId();
    await ledger.createEvent(eventRecord(eventId));
    expect((await ledger.insertOrder(newOrder(eventId, 'buyer', 'k3', ['S03']))).ok).toBe(true);
    const reconciler = new Reconciler(backends.store, ledger, log);
    const healing = new SelfHealingHoldStore(backends.store, (id) => reconciler.restore(id));
    // Never restored: the backing store answers NOT_READY, the healing one rebuilds and answers.
    expect(await backends.store.snapshot(eventId)).toEqual({ ok: false, reason: 'NOT_READY' });
    const outcome = await healing.hold({
      eventId,
      sessionId: 'someone',
      seatIds: ['S03', 'S04'],
      ttlMs: 60_000,
      maxSeats: 8,
    });
    expect(outcome).toMatchObject({ ok: false, reason: 'TAKEN', sold: ['S03'], held: [] });
    expect((await healing.sequence(eventId)).seq).toBeGreaterThanOrEqual(1);
  });

  it('rebuilds the state named by restoreFirst (the waiting room) before the hold state', async () => {
    const eventId = freshEventId();
    await ledger.createEvent(eventRecord(eventId));
    const reconciler = new Reconciler(backends.store, ledger, log);
    const seen: string[] = [];
    reconciler.restoreFirst(async (id) => {
      const snapshot = await backends.store.snapshot(id);
      seen.push(`${id} ${snapshot.ok ? 'ready' : snapshot.reason}`);
    });
    await reconciler.restore(eventId);
    expect(seen).toEqual([`${eventId} NOT_READY`]);
    expect((await backends.store.snapshot(eventId)).ok).toBe(true);
  });
});
