// DATABASE_READ_URL: the ledger sends the event list, event lookups and order lookups to a
// read-only pool, everything else to the primary; a lagging replica never hides a fresh write.
import { DEFAULT_RULES } from '@ticketmain/protocol';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoArena } from '../../src/domain/venue/arena.js';
import { createPgDb, type Db } from '../../src/ledger/db.js';
import { SqlLedger } from '../../src/ledger/sql-ledger.js';
import type { EventRecord, NewOrder } from '../../src/ledger/types.js';
import { TEST_DATABASE_URL, uniqueName } from '../support/server.js';

/** A Db that records the statements it was given, to see which pool each read went to. */
function recording(db: Db, seen: string[]): Db {
  return {
    query: (sql, params) => (seen.push(sql), db.query(sql, params)),
    transaction: (fn) => (seen.push('TRANSACTION'), db.transaction(fn)),
    close: () => db.close(),
  };
}

/** A replica that has not caught up yet: it answers every lookup with nothing. */
function empty(db: Db): Db {
  return { ...db, query: async () => [] };
}

const event: EventRecord = {
  id: 'replica-hall',
  name: 'Replica Hall',
  venue: demoArena(),
  startsAt: new Date('2031-01-01T20:00:00.000Z'),
  currency: 'USD',
  seatCount: 900,
  rules: DEFAULT_RULES,
  version: 1,
};

const order = (seatId: string, idempotencyKey: string): NewOrder => ({
  eventId: event.id,
  sessionId: randomUUID(),
  idempotencyKey,
  tickets: [{ seatId, sectionId: 'standard', price: 10_000 }],
  currency: 'USD',
  signingKid: 'kid-1',
});

describe('ledger with a read pool (DATABASE_READ_URL = the same database, read-only)', () => {
  const schema = uniqueName('rr');
  const admin = createPgDb({ connectionString: TEST_DATABASE_URL });
  let primary: Db;
  let reads: Db;
  beforeAll(async () => {
    await admin.query(`CREATE SCHEMA ${schema}`);
    primary = createPgDb({ connectionString: TEST_DATABASE_URL, schema });
    reads = createPgDb({ connectionString: TEST_DATABASE_URL, schema, readOnly: true });
    await new SqlLedger(primary).migrate();
  });
  afterAll(async () => {
    await Promise.all([primary.close(), reads.close()]);
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
  });

  it('refuses any write on the read pool, so a misrouted one fails loudly', async () => {
    await expect(reads.query('DELETE FROM tickets')).rejects.toThrow(/read-only transaction/);
    await expect(reads.transaction((tx) => tx.query('DELETE FROM orders', []))).rejects.toThrow(
      /read-only transaction/,
    );
  });

  it('sends only the lag-tolerant reads to the read pool, and they see the writes', async () => {
    const seen: string[] = [];
    const ledger = new SqlLedger(primary, recording(reads, seen));
    await ledger.createEvent(event);
    const placed = await ledger.insertOrder(order('A1', 'k-1'));
    if (!placed.ok) throw new Error(`order refused: ${placed.reason}`);
    expect(seen).toEqual([]); // writes: primary only

    expect((await ledger.listEvents()).map((e) => e.id)).toEqual([event.id]);
    expect(await ledger.listEventIds()).toEqual([event.id]);
    expect((await ledger.getEvent(event.id))?.seatCount).toBe(900);
    expect((await ledger.getOrder(placed.order.id))?.tickets).toEqual(placed.order.tickets);
    expect(seen).toHaveLength(4);
    expect(seen.every((sql) => sql.trimStart().startsWith('SELECT'))).toBe(true);

    // What decides a sale or a retry reads the primary, never a replica that may lag.
    const { sessionId, idempotencyKey } = placed.order;
    expect((await ledger.findOrderByKey(sessionId, idempotencyKey))?.id).toBe(placed.order.id);
    expect(await ledger.soldSeats(event.id)).toEqual(['A1']);
    expect(await ledger.soldCount(event.id)).toBe(1);
    const refused = await ledger.insertOrder(order('A1', 'k-2'));
    expect(refused).toEqual({ ok: false, reason: 'SEAT_SOLD', seatIds: ['A1'] });
    await ledger.resetEvent(event.id);
    expect(seen).toHaveLength(4);
    expect(await ledger.ping()).toBe(true);
  });

  it('asks the primary when the replica has not caught up with an event or order yet', async () => {
    const ledger = new SqlLedger(primary, empty(reads));
    const placed = await ledger.insertOrder(order('B2', 'k-3'));
    if (!placed.ok) throw new Error(`order refused: ${placed.reason}`);
    expect((await ledger.getEvent(event.id))?.id).toBe(event.id);
    expect((await ledger.getOrder(placed.order.id))?.id).toBe(placed.order.id);
    expect(await ledger.getOrder(randomUUID())).toBeNull();
  });
});
