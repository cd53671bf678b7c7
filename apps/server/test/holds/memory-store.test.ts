// The in-process hold store: the shared contract, exact clock behaviour, delivery, the cost of
// sweeping a large event, and agreement with a naive transcription of holds/README.md.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryHoldStore } from '../../src/holds/memory/store.js';
import type {
  ChangeBatch,
  HeldSeat,
  HoldRequestArgs,
  SeatChangeRecord,
} from '../../src/holds/types.js';
import { holdStoreContract } from './contract.js';

holdStoreContract('memory', async () => {
  const store = new MemoryHoldStore();
  return {
    store,
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
    expect(await store.hold(args(['a']))).toEqual({
      ok: true,
      holds: [{ seatId: 'a', expiresAt: 1_000_100 }],
    });
    expect(batches[1]).toEqual({
      kind: 'changes',
      eventId: 'e',
      time: 1_000_000,
      changes: [{ seq: 1, seatId: 'a', status: 'HELD' }],
    });
    clock.now = 1_000_099;
    expect(await store.expire('e', 10)).toEqual({ ok: true, changed: 0 });
    expect(await store.snapshot('e', 'alice')).toMatchObject({ mine: [{ seatId: 'a' }] });
    clock.now = 1_000_100;
    expect(await store.snapshot('e', 'alice')).toMatchObject({ held: ['a'], mine: [] });
    expect(await store.beginCheckout('e', 'alice', ['a'], 50)).toMatchObject({
      reason: 'SEAT_NOT_HELD',
    });
    expect(await store.expire('e', 10)).toEqual({ ok: true, changed: 1 });
    expect(batches.at(-1)).toMatchObject({ time: 1_000_100, changes: [{ seq: 2 }] });
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
    expect(await store.abortCheckout('e', 'alice', begun.previous)).toEqual({ ok: true, changed: 2 });
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
    await store.restore('e', ['s']);
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
        void store.markSold('e', ['z']);
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
    await fc.assert(fc.asyncProperty(fc.array(operation, { maxLength: 60 }), checkAgainstModel), {
      numRuns: 300,
    });
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
  const originals = targets.map(([target, key]) => Reflect.get(target, key) as Function);
  targets.forEach(([target, key], i) => {
    const original = originals[i] as Function;
    Reflect.set(target, key, function (this: unknown, ...rest: unknown[]) {
      count += 1;
      return original.apply(this, rest) as unknown;
    });
  });
  try {
    work();
  } finally {
    targets.forEach(([target, key], i) => Reflect.set(target, key, originals[i]));
  }
  return count;
}

// ---- model-based check -------------------------------------------------------------------------

type Op =
  | { kind: 'hold'; event: string; session: string; seats: string[]; ttl: number; max: number }
  | { kind: 'release'; event: string; session: string; seat: string }
  | { kind: 'begin'; event: string; session: string; seats: string[]; window: number }
  | { kind: 'abort'; event: string; session: string; previous: HeldSeat[] }
  | { kind: 'sold'; event: string; seats: string[] }
  | { kind: 'expire'; event: string; limit: number }
  | { kind: 'snapshot'; event: string; session: string | undefined }
  | { kind: 'restore'; event: string; seats: string[] }
  | { kind: 'reset'; event: string }
  | { kind: 'age'; event: string; seat: string; at: number }
  | { kind: 'tick'; ms: number };

const START = 1_000;
const event = fc.constantFrom('e1', 'e2');
const session = fc.constantFrom('s1', 's2', 's3');
const seat = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
const seats = fc.array(seat, { maxLength: 4 });
const operation: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('hold' as const),
    event,
    session,
    seats,
    ttl: fc.integer({ min: 1, max: 20 }),
    max: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({ kind: fc.constant('release' as const), event, session, seat }),
  fc.record({
    kind: fc.constant('begin' as const),
    event,
    session,
    seats,
    window: fc.integer({ min: 0, max: 30 }),
  }),
  fc.record({
    kind: fc.constant('abort' as const),
    event,
    session,
    previous: fc.array(
      fc.record({ seatId: seat, expiresAt: fc.integer({ min: START, max: START + 100 }) }),
      { maxLength: 3 },
    ),
  }),
  fc.record({ kind: fc.constant('sold' as const), event, seats }),
  fc.record({ kind: fc.constant('expire' as const), event, limit: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('snapshot' as const), event, session: fc.option(session) }).map(
    (op) => ({ ...op, session: op.session ?? undefined }),
  ),
  fc.record({ kind: fc.constant('restore' as const), event, seats }),
  fc.record({ kind: fc.constant('reset' as const), event }),
  fc.record({
    kind: fc.constant('age' as const),
    event,
    seat,
    at: fc.integer({ min: START, max: START + 100 }),
  }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 8 }) }),
);

type ModelSeat = { status: 'SOLD' } | { status: 'HELD'; owner: string; expiresAt: number };
interface ModelEvent {
  seq: number;
  seats: Map<string, ModelSeat>;
}

/** holds/README.md read line by line, with scans instead of indexes. */
class NaiveModel {
  readonly events = new Map<string, ModelEvent>();
  readonly batches: ChangeBatch[] = [];
  constructor(private readonly now: () => number) {}

  call(op: Op): unknown {
    if (op.kind === 'tick') return undefined;
    const ev = this.events.get(op.event);
    if (op.kind === 'restore') return this.restore(op.event, ev, op.seats);
    if (ev === undefined) return op.kind === 'reset' || op.kind === 'age' ? false : NOT_READY;
    const out: SeatChangeRecord[] = [];
    const change = (seatId: string, status: SeatChangeRecord['status']) => {
      ev.seq += 1;
      out.push({ seq: ev.seq, seatId, status });
      if (status === 'AVAILABLE') ev.seats.delete(seatId);
    };
    const result = this.apply(op, ev, change);
    if (out.length > 0) {
      this.batches.push({ kind: 'changes', eventId: op.event, time: this.now(), changes: out });
    }
    return result;
  }

  private apply(op: Op, ev: ModelEvent, change: (id: string, s: SeatChangeRecord['status']) => void) {
    const now = this.now();
    const heldBy = (id: string, who?: string) => {
      const s = ev.seats.get(id);
      return s?.status === 'HELD' && (who === undefined || s.owner === who) ? s : undefined;
    };
    const sold = (id: string) => ev.seats.get(id)?.status === 'SOLD';
    const lapsedFirst = (ids: string[]) =>
      ids
        .map((id) => ({ seatId: id, expiresAt: heldBy(id)?.expiresAt ?? Infinity }))
        .filter((e) => e.expiresAt <= now)
        .sort((x, y) => x.expiresAt - y.expiresAt || (x.seatId < y.seatId ? -1 : 1));
    const sell = (ids: string[]) => {
      let n = 0;
      for (const id of ids) {
        if (sold(id)) continue;
        ev.seats.set(id, { status: 'SOLD' });
        change(id, 'SOLD');
        n += 1;
      }
      return n;
    };
    switch (op.kind) {
      case 'hold': {
        const ids = [...new Set(op.seats)];
        const own = [...ev.seats.keys()].filter((id) => heldBy(id, op.session));
        const candidates = [...new Set([...own, ...ids])];
        for (const e of lapsedFirst(candidates)) change(e.seatId, 'AVAILABLE');
        const soldIds = ids.filter(sold);
        const heldIds = ids.filter((id) => heldBy(id) && !heldBy(id, op.session));
        if (soldIds.length + heldIds.length > 0) {
          return { ok: false, reason: 'UNAVAILABLE', sold: soldIds, held: heldIds };
        }
        const mine = [...ev.seats.keys()].filter((id) => heldBy(id, op.session)).length;
        const wouldHold = mine + ids.filter((id) => !heldBy(id, op.session)).length;
        if (wouldHold > op.max) return { ok: false, reason: 'HOLD_LIMIT', wouldHold };
        for (const id of ids) {
          if (heldBy(id, op.session)) continue;
          ev.seats.set(id, { status: 'HELD', owner: op.session, expiresAt: now + op.ttl });
          change(id, 'HELD');
        }
        return { ok: true, holds: ids.map((id) => ({ seatId: id, expiresAt: heldBy(id)?.expiresAt })) };
      }
      case 'release': {
        const h = heldBy(op.seat);
        if (h === undefined) return { ok: false, reason: 'HOLD_NOT_FOUND' };
        if (h.expiresAt <= now) {
          change(op.seat, 'AVAILABLE');
          return { ok: false, reason: 'HOLD_NOT_FOUND' };
        }
        if (h.owner !== op.session) return { ok: false, reason: 'NOT_OWNER' };
        change(op.seat, 'AVAILABLE');
        return { ok: true };
      }
      case 'begin': {
        const ids = [...new Set(op.seats)];
        if (ids.some(sold)) return { ok: false, reason: 'SEAT_SOLD', seats: ids.filter(sold) };
        const live = (id: string) => (heldBy(id, op.session)?.expiresAt ?? -Infinity) > now;
        const missing = ids.filter((id) => !live(id));
        if (missing.length > 0) return { ok: false, reason: 'SEAT_NOT_HELD', seats: missing };
        const previous = ids.map((id) => ({ seatId: id, expiresAt: heldBy(id)?.expiresAt }));
        for (const id of ids) {
          const h = heldBy(id) as { expiresAt: number };
          h.expiresAt = Math.max(h.expiresAt, now + op.window);
        }
        return { ok: true, previous };
      }
      case 'abort': {
        const seen = new Set<string>();
        let changed = 0;
        for (const p of op.previous) {
          if (seen.has(p.seatId)) continue;
          seen.add(p.seatId);
          const h = heldBy(p.seatId, op.session);
          if (h === undefined) continue;
          h.expiresAt = p.expiresAt;
          changed += 1;
        }
        return { ok: true, changed };
      }
      case 'sold':
        return { ok: true, changed: sell(op.seats) };
      case 'expire': {
        const due = lapsedFirst([...ev.seats.keys()]).slice(0, Math.max(0, op.limit));
        for (const e of due) change(e.seatId, 'AVAILABLE');
        return { ok: true, changed: due.length };
      }
      case 'snapshot': {
        const all = [...ev.seats];
        const mine = all
          .filter(([id]) => op.session !== undefined && (heldBy(id, op.session)?.expiresAt ?? 0) > now)
          .map(([id, s]) => ({ seatId: id, expiresAt: s.status === 'HELD' ? s.expiresAt : 0 }));
        return sortedSnapshot({
          ok: true,
          seq: ev.seq,
          held: all.filter(([, s]) => s.status === 'HELD').map(([id]) => id),
          sold: all.filter(([, s]) => s.status === 'SOLD').map(([id]) => id),
          mine,
        });
      }
      case 'reset':
        ev.seats.clear();
        ev.seq += 1;
        this.batches.push({ kind: 'reset', eventId: op.event, time: now, seq: ev.seq });
        return true;
      case 'age': {
        const h = heldBy(op.seat);
        if (h !== undefined) h.expiresAt = op.at;
        return h !== undefined;
      }
      default:
        return sell(op.kind === 'restore' ? op.seats : []);
    }
  }

  private restore(eventId: string, ev: ModelEvent | undefined, soldIds: string[]) {
    if (ev !== undefined) return this.call({ kind: 'sold', event: eventId, seats: soldIds });
    const fresh: ModelEvent = { seq: 0, seats: new Map() };
    for (const id of new Set(soldIds)) {
      fresh.seq += 1;
      fresh.seats.set(id, { status: 'SOLD' });
    }
    this.events.set(eventId, fresh);
    this.batches.push({ kind: 'reset', eventId, time: this.now(), seq: fresh.seq });
    return undefined;
  }
}

const NOT_READY = { ok: false, reason: 'NOT_READY' };

function sortedSnapshot<T extends { held: string[]; sold: string[]; mine: HeldSeat[] }>(s: T): T {
  return {
    ...s,
    held: [...s.held].sort(),
    sold: [...s.sold].sort(),
    mine: [...s.mine].sort((x, y) => (x.seatId < y.seatId ? -1 : 1)),
  };
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
      });
    case 'release':
      return store.release(op.event, op.session, op.seat);
    case 'begin':
      return store.beginCheckout(op.event, op.session, op.seats, op.window);
    case 'abort':
      return store.abortCheckout(op.event, op.session, op.previous);
    case 'sold':
      return store.markSold(op.event, op.seats);
    case 'expire':
      return store.expire(op.event, op.limit);
    case 'snapshot': {
      const s = await store.snapshot(op.event, op.session);
      return s.ok ? sortedSnapshot(s) : s;
    }
    case 'restore':
      return store.restore(op.event, op.seats);
    case 'reset':
      await store.reset(op.event);
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
