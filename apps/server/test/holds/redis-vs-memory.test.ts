// Differential test: the Redis store must answer and publish exactly like the in-process
// reference model (memory/store.ts) under random call sequences. Clock-free: holds never lapse
// by themselves, "age" moves an expiry to a fixed past instant in both stores.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loneSeatChecks } from '../../src/domain/lone-seats.js';
import { Keys } from '../../src/holds/keys.js';
import { MemoryHoldStore } from '../../src/holds/memory/store.js';
import type { ChangeBatch, HeldSeat, HoldStore } from '../../src/holds/types.js';
import { eventually, newStore } from './redis-helpers.js';
import { sales } from './recorder.js';

const SEATS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const SESSIONS = ['s1', 's2', 's3'];
const TTL = 60_000;

/** A general-admission section "g" of 3 places: its place ids, minted by the hold. */
const GA = { sectionId: 'g', capacity: 3 };
const PLACES = ['g.1', 'g.2', 'g.3'];

/** Any seat or place: what every operation but the hold by seat id may name. */
const seat = fc.constantFrom(...SEATS, ...PLACES);
const seatToHold = fc.constantFrom(...SEATS);

/** The seats as one row: a..h numbered 1..8. */
function rowNeighbours(seatId: string): { left?: string; right?: string } | undefined {
  const i = SEATS.indexOf(seatId);
  if (i < 0) return undefined;
  return { left: SEATS[i - 1], right: SEATS[i + 1] };
}
const seats = fc.array(seat, { minLength: 0, maxLength: 3 });
const fewSeats = fc.array(seat, { minLength: 0, maxLength: 2 });
const session = fc.constantFrom(...SESSIONS);

const op = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('restore' as const),
      seats: fewSeats,
      buyer: session,
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('hold' as const),
      session,
      seats: fc.array(seatToHold, { minLength: 0, maxLength: 3 }),
      // GA places of "g" held in the same step (0: none).
      places: fc.integer({ min: 0, max: 3 }),
      max: fc.integer({ min: 1, max: 4 }),
      address: fc.constantFrom('203.0.113.1', '2001:db8::/64'),
      // 0: no address cap for this call.
      perAddress: fc.integer({ min: 0, max: 5 }),
      // The lone-seat rule on for this call: the seats a..h are one row, in that order.
      lone: fc.boolean(),
    }),
    weight: 8,
  },
  { arbitrary: fc.record({ kind: fc.constant('release' as const), session, seat }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('begin' as const),
      session,
      seats,
      /** Check out the session's own live holds (per the reference model) instead of `seats`. */
      own: fc.boolean(),
      window: fc.constantFrom(0, 2 * TTL),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('abort' as const), session }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('extend' as const), session }), weight: 2 },
  {
    arbitrary: fc.record({ kind: fc.constant('sold' as const), seats: fewSeats, buyer: session }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('unsold' as const), seats: fewSeats }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('expire' as const), limit: fc.nat(3) }),
    weight: 2,
  },
  {
    // `seat` is replaced by a held one (the pick-th) when the reference model has any.
    arbitrary: fc.record({ kind: fc.constant('age' as const), seat, pick: fc.nat() }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('reset' as const) }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('snapshot' as const), session: fc.option(session) }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('counts' as const) }), weight: 1 },
  {
    // The waiting room's gate: the event gets a queue (if it had none) and the session an
    // admission that lasts (true) or has ended (false). Holds then follow it.
    arbitrary: fc.record({ kind: fc.constant('gate' as const), session, admitted: fc.boolean() }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('sequence' as const) }), weight: 1 },
  {
    // The waiting list's hand-over: from a sale, a hold or free seats, to a session or to nobody.
    arbitrary: fc.record({
      kind: fc.constant('handOver' as const),
      seats,
      from: fc.oneof(
        fc.record({ sold: session }),
        fc.record({ held: session }),
        fc.constant({ free: true as const }),
      ),
      to: fc.option(session),
    }),
    weight: 2,
  },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** Mostly from a restored event, where the interesting rules apply; sometimes from not ready. */
const opsFromReady = fc
  .tuple(
    fc.option(fewSeats, { freq: 10 }),
    fc.array(op, { minLength: 5, maxLength: 40, size: 'max' }),
  )
  .map(([restored, ops]): Op[] =>
    restored === null ? ops : [{ kind: 'restore', seats: restored, buyer: 's1' }, ...ops],
  );

/** One store under test with what it needs between calls. */
interface Side {
  store: HoldStore;
  age(eventId: string, seatId: string, at: number): Promise<void>;
  previous: Map<string, HeldSeat[]>;
  batches: ChangeBatch[];
  /** Gives the event a queue and the session an admission until `until` (epoch ms). */
  admit(eventId: string, sessionId: string, until: number): Promise<void>;
}

/** Expiries come from two clocks: compare everything but them. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).filter(([k]) => k !== 'expiresAt' && k !== 'time');
  const out = Object.fromEntries(entries.map(([k, v]) => [k, normalize(v)]));
  for (const list of ['held', 'sold', 'mine']) {
    if (Array.isArray(out[list]) && 'seq' in out) out[list] = [...out[list]].map(String).sort();
  }
  return out;
}

/** Aims "own" checkouts and ages at held seats, by the reference model, the same for both. */
async function resolve(o: Op, eventId: string): Promise<Op> {
  if (o.kind === 'begin' && o.own) {
    const snapshot = await memory.snapshot(eventId, o.session);
    return { ...o, seats: snapshot.ok ? snapshot.mine.map((m) => m.seatId).sort() : [] };
  }
  if (o.kind === 'age') {
    const snapshot = await memory.snapshot(eventId);
    const held = snapshot.ok ? snapshot.held.sort() : [];
    return { ...o, seat: held[o.pick % Math.max(1, held.length)] ?? o.seat };
  }
  return o;
}

async function apply(side: Side, eventId: string, o: Op, ageAt: number): Promise<unknown> {
  const { store } = side;
  switch (o.kind) {
    case 'restore':
      return store.restore(eventId, sales(o.seats, o.buyer));
    case 'hold': {
      const { session: sessionId, seats: seatIds, max: maxSeats, address, perAddress } = o;
      const limits = { maxSeats, address, maxPerAddress: perAddress };
      const loneChecks = o.lone ? { loneSeatChecks: loneSeatChecks(seatIds, rowNeighbours) } : {};
      const ga = o.places > 0 ? { ga: [{ ...GA, quantity: o.places }] } : {};
      return store.hold({
        eventId,
        sessionId,
        seatIds,
        ttlMs: TTL,
        ...limits,
        ...loneChecks,
        ...ga,
      });
    }
    case 'release':
      return store.release(eventId, o.session, o.seat);
    case 'begin': {
      const outcome = await store.beginCheckout(eventId, o.session, o.seats, o.window);
      if (outcome.ok) side.previous.set(o.session, outcome.previous);
      return outcome;
    }
    case 'abort':
      return store.abortCheckout(eventId, o.session, side.previous.get(o.session) ?? []);
    case 'extend':
      return store.extend(eventId, o.session, TTL);
    case 'sold':
      return store.markSold(eventId, o.seats, o.buyer);
    case 'unsold':
      return store.unmarkSold(eventId, o.seats);
    case 'expire':
      return store.expire(eventId, o.limit);
    case 'age':
      return side.age(eventId, o.seat, ageAt);
    case 'reset':
      return store.clear(eventId);
    case 'snapshot': {
      // Epochs are each store's own (a time and a counter): compared apart, not here.
      const snapshot = await store.snapshot(eventId, o.session ?? undefined);
      if (!snapshot.ok) return snapshot;
      const { epoch: _epoch, ...rest } = snapshot;
      return { ...rest, mine: snapshot.mine.map((m) => m.seatId) };
    }
    case 'counts':
      return [...(await store.counts([eventId]))];
    case 'handOver': {
      const { seats: seatIds, from } = o;
      const to = o.to === null ? {} : { to: o.to };
      return store.handOver({ eventId, seatIds, from, ttlMs: TTL, ...to });
    }
    case 'sequence':
      return (await store.sequence(eventId))?.seq ?? null;
    case 'gate':
      // Far ahead or long past on either clock.
      return side.admit(eventId, o.session, o.admitted ? Date.now() + 3_600_000 : 1_000);
  }
}

/** The reference model's queue: admissions by event, read by the memory store's gate. */
const admissions = new Map<string, Map<string, number>>();
const memory = new MemoryHoldStore({
  admission: {
    admits: (eventId, sessionId) => {
      const queue = admissions.get(eventId);
      return queue === undefined || (queue.get(sessionId) ?? 0) > Date.now();
    },
  },
});

describe('Redis store vs the in-process reference model', () => {
  const redisSide = newStore();
  const keys = new Keys(redisSide.prefix);

  beforeAll(() => redisSide.redis.ping());
  afterAll(async () => {
    await memory.close();
    await redisSide.cleanup();
  });

  const sides = (): [Side, Side] => [
    {
      store: memory,
      age: async (eventId, seatId, at) => void memory.setExpiry(eventId, seatId, at),
      previous: new Map(),
      batches: [],
      admit: async (eventId, sessionId, until) => {
        const queue = admissions.get(eventId) ?? new Map<string, number>();
        admissions.set(eventId, queue.set(sessionId, until));
      },
    },
    {
      store: redisSide.store,
      age: async (eventId, seatId, at) =>
        void (await redisSide.redis.zadd(keys.event(eventId).exp, 'XX', at, seatId)),
      previous: new Map(),
      batches: [],
      // The queue's keys as the queue store writes them (queue/README.md): the gate reads these.
      admit: async (eventId, sessionId, until) => {
        const { queue } = keys.event(eventId);
        await redisSide.redis.hset(queue.cfg, 'admitPerMinute', 60);
        await redisSide.redis.hset(queue.admitted, sessionId, until);
      },
    },
  ];

  it('gives the same answers and publishes the same batches', async () => {
    await fc.assert(
      fc.asyncProperty(opsFromReady, async (ops) => {
        const eventId = `ev-${randomUUID()}`;
        const [mem, red] = sides();
        const stops = await Promise.all(
          [mem, red].map((side) =>
            side.store.subscribe(eventId, (batch) => void side.batches.push(batch)),
          ),
        );
        try {
          for (const [i, drawn] of ops.entries()) {
            const o = await resolve(drawn, eventId);
            const ageAt = 1_000 + i; // far in the past, later ops later
            const expected = normalize(await apply(mem, eventId, o, ageAt));
            const actual = normalize(await apply(red, eventId, o, ageAt));
            expect(actual, JSON.stringify(o)).toEqual(expected);
          }
          await eventually(() => red.batches.length >= mem.batches.length);
          expect(normalize(red.batches)).toEqual(normalize(mem.batches));
        } finally {
          for (const stop of stops) await stop();
        }
      }),
      { numRuns: 200 },
    );
  });
});
