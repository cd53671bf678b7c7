// The checker must see each broken rule it claims to check: faults are written straight into a
// scratch Redis prefix and Postgres schema (the server's own migrations), then checked.
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keys } from '@ticketmain/server/keys';
import { createPgDb, migrate } from '@ticketmain/server/ledger';
import {
  checkOwnershipWindows,
  diffView,
  InvariantChecker,
  type InvariantName,
  type Violation,
} from './invariants.js';

const run = randomBytes(4).toString('hex');
const schema = `bench_test_${run}`;
const prefix = `bench-test:${run}:`;
const redis = new Redis(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379');
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const db = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` });
const checker = new InvariantChecker(redis, db, { keyPrefix: prefix, schema });
const keys = new Keys(prefix);

beforeAll(async () => {
  await db.query(`CREATE SCHEMA ${schema}`);
  const ledger = createPgDb({ connectionString: url, schema, poolSize: 1 });
  try {
    await migrate(ledger);
  } finally {
    await ledger.close();
  }
  // Only so that a double sale can be written at all: the real schema makes it impossible.
  await db.query('DROP INDEX tickets_live_seat');
});

afterAll(async () => {
  await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  for await (const found of redis.scanStream({ match: `${prefix}*`, count: 1000 })) {
    const batch = found as string[];
    if (batch.length > 0) await redis.unlink(...batch);
  }
  redis.disconnect();
  await db.end();
});

async function event(id: string): Promise<void> {
  await db.query(
    `INSERT INTO events (id, name, venue_name, starts_at, currency, seat_count, layout)
     VALUES ($1, 'Test', 'Hall', now(), 'USD', 10, '{}')`,
    [id],
  );
}

async function order(eventId: string, total: number, seats: Record<string, number>) {
  const id = randomUUID();
  await db.query(
    `INSERT INTO orders (id, event_id, session_id, idempotency_key, total_cents, currency)
     VALUES ($1, $2, 's', $3, $4, 'USD')`,
    [id, eventId, id, total],
  );
  for (const [seat, price] of Object.entries(seats)) {
    await db.query(
      `INSERT INTO tickets (event_id, seat_id, order_id, section_id, price_cents)
       VALUES ($1, $2, $3, 'A', $4)`,
      [eventId, seat, id, price],
    );
  }
  return id;
}

async function hold(eventId: string, seat: string, owner: string, opts = { exp: true, set: true }) {
  const k = keys.event(eventId);
  await redis.hset(k.holder, seat, owner);
  if (opts.exp) await redis.zadd(k.exp, Date.now() + 60_000, seat);
  if (opts.set) await redis.sadd(k.session(owner), seat);
}

const names = (found: Violation[]): InvariantName[] => found.map((v) => v.invariant).sort();

describe('InvariantChecker.checkEvent', () => {
  it('finds nothing in a consistent event', async () => {
    await event('clean');
    const k = keys.event('clean');
    await order('clean', 300, { A1: 100, A2: 200 });
    await redis.set(k.ready, '1');
    await redis.sadd(k.sold, 'A1', 'A2');
    await hold('clean', 'B1', 's1');
    expect(await checker.checkEvent('clean')).toEqual([]);
  });

  it('takes a cancelled ticket for a freed seat: sold again is no double sale', async () => {
    await event('resold');
    const k = keys.event('resold');
    const first = await order('resold', 300, { A1: 100, A2: 200 });
    // The tickets are what the checker reads; the order's own cancellation is not its concern.
    await db.query(
      `UPDATE tickets SET status = 'cancelled', cancelled_at = now() WHERE order_id = $1`,
      [first],
    );
    await order('resold', 100, { A1: 100 });
    await redis.set(k.ready, '1');
    await redis.sadd(k.sold, 'A1');
    expect(await checker.checkEvent('resold')).toEqual([]);
    // A2, cancelled and not sold again, SOLD in the store: a seat the ledger does not hold sold.
    await redis.sadd(k.sold, 'A2');
    expect(names(await checker.checkEvent('resold'))).toEqual(['sold-in-store-without-ticket']);
  });

  it('reports each broken rule', async () => {
    await event('broken');
    const k = keys.event('broken');
    await order('broken', 100, { A1: 100 });
    await order('broken', 100, { A1: 100 }); // A1 sold twice
    await order('broken', 0, {}); // an order without tickets
    await order('broken', 999, { A3: 100 }); // wrong total; A3 not SOLD in Redis
    await redis.set(k.ready, '1');
    await redis.sadd(k.sold, 'A1', 'Z9'); // Z9: SOLD without a ticket
    await hold('broken', 'A1', 's1'); // held and sold
    await hold('broken', 'C1', 's2', { exp: false, set: false }); // no expiry, not in its set
    await redis.zadd(k.exp, Date.now(), 'C2'); // an expiry nobody holds
    expect(names(await checker.checkEvent('broken'))).toEqual(
      [
        'double-sale',
        'order-without-tickets',
        'order-total',
        'ticket-not-sold-in-store',
        'sold-in-store-without-ticket',
        'held-and-sold',
        'hold-without-expiry',
        'expiry-without-hold',
        'hold-not-in-session-set',
      ].sort(),
    );
  });

  it('does not compare with a store that is not ready (it is rebuilt before use)', async () => {
    await event('lost');
    await order('lost', 100, { A1: 100 });
    expect(await checker.checkEvent('lost')).toEqual([]);
  });
});

describe('InvariantChecker.checkAcknowledgedOrders', () => {
  it('wants every 201 order in the ledger with exactly its seats', async () => {
    await event('acked');
    const id = await order('acked', 300, { A1: 100, A2: 200 });
    const ok = { orderId: id, eventId: 'acked', seatIds: ['A2', 'A1'] };
    expect(await checker.checkAcknowledgedOrders([ok])).toEqual([]);
    const wrongSeats = { ...ok, seatIds: ['A1'] };
    const missing = { orderId: randomUUID(), eventId: 'acked', seatIds: ['A9'] };
    const [found] = await checker.checkAcknowledgedOrders([ok, wrongSeats, missing]);
    expect(found?.invariant).toBe('acknowledged-order-missing');
    expect(found?.detail).toMatch(/^2 /);
  });
});

describe('InvariantChecker.sampleSeats', () => {
  it('judges only the sampled seats', async () => {
    await hold('sampled', 'S1', 's1');
    await hold('sampled', 'S2', 's2', { exp: true, set: false });
    const first = await checker.sampleSeats('sampled', ['S1']);
    expect(first.violations).toEqual([]);
    expect([...first.holders]).toEqual([['S1', 's1']]);
    const both = await checker.sampleSeats('sampled', ['S1', 'S2']);
    expect(names(both.violations)).toEqual(['hold-not-in-session-set']);
  });
});

describe('diffView', () => {
  const truth = { eventId: 'e', seq: 7, held: new Set(['H1']), sold: new Set(['S1']) };

  it('accepts a view equal to the truth', () => {
    expect(diffView({ held: ['H1'], sold: ['S1'] }, truth)).toEqual([]);
  });

  it('lists the seats a view has wrong', () => {
    const [found] = diffView({ held: ['S1'], sold: ['X1'] }, truth);
    expect(found?.invariant).toBe('view-differs');
    expect([...(found?.seats ?? [])].sort()).toEqual(['H1', 'S1', 'X1']);
  });
});

describe('checkOwnershipWindows', () => {
  const w = (owner: string, from: number, to: number) => ({ seatId: 'A1', owner, from, to });

  it('accepts owners one after the other, and one owner twice', () => {
    expect(checkOwnershipWindows('e', [w('a', 0, 10), w('b', 10, 20), w('b', 15, 30)])).toEqual([]);
  });

  it('reports two owners at once, even behind a long earlier window', () => {
    const found = checkOwnershipWindows('e', [w('a', 0, 100), w('b', 5, 6), w('c', 50, 60)]);
    expect(names(found)).toEqual(['one-owner']);
  });
});
