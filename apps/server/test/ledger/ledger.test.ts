// The ledger on both engines: real PostgreSQL (a fresh schema per suite) and PGlite in memory.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDb, type Db } from '../../src/ledger/db.js';
import { migrate } from '../../src/ledger/migrate.js';
import { SqlLedger } from '../../src/ledger/sql-ledger.js';
import {
  count,
  engines,
  eventRecord,
  freshEventId,
  newOrder,
  openPostgres,
  orderOf,
  seat,
  sessionOf,
  type Opened,
} from './fixtures.js';

const MIGRATIONS = [
  '0001_init',
  '0002_tickets_reference_their_order',
  '0003_ticket_codes_and_checkin',
  '0004_event_rules',
  '0007_outbox_and_webhooks',
];

describe.each(engines)('SqlLedger on $name', (engine) => {
  let opened: Opened;
  let db: Db;
  let ledger: SqlLedger;

  beforeAll(async () => {
    opened = await engine.open();
    db = opened.db;
    ledger = new SqlLedger(db);
    expect(await migrate(db)).toEqual(MIGRATIONS);
  });

  afterAll(async () => {
    await opened?.dispose();
  });

  async function withEvent(): Promise<string> {
    const id = freshEventId();
    await ledger.createEvent(eventRecord(id));
    return id;
  }

  it('runs the migrations once: a second run is a no-op', async () => {
    expect(await migrate(db)).toEqual([]);
    await ledger.migrate();
    expect(await count(db, 'SELECT count(*) AS n FROM schema_migrations', [])).toBe(
      MIGRATIONS.length,
    );
  });

  it('round-trips events with their layout', async () => {
    const later = eventRecord(freshEventId(), '2031-01-01T00:00:00.000Z');
    const sooner = eventRecord(freshEventId(), '2030-01-01T00:00:00.000Z');
    await ledger.createEvent(later);
    await ledger.createEvent(sooner);
    expect(await ledger.getEvent(later.id)).toEqual(later);
    expect(await ledger.getEvent('no-such-event')).toBeNull();
    const ids = (await ledger.listEvents()).map((event) => event.id);
    expect(ids.indexOf(sooner.id)).toBeLessThan(ids.indexOf(later.id));
    expect((await ledger.listEvents()).find((event) => event.id === sooner.id)).toEqual(sooner);
  });

  it('writes an order and its tickets with the right total', async () => {
    const eventId = await withEvent();
    const order = orderOf(
      await ledger.insertOrder(newOrder(eventId, 'sess-1', 'k1', ['V1', 'S03'])),
    );
    expect(order).toMatchObject({ eventId, idempotencyKey: 'k1', total: 11_500 });
    expect(order.sessionId).toBe(sessionOf(eventId, 'sess-1'));
    expect(order.tickets.map((ticket) => ticket.seatId)).toEqual(['S03', 'V1']);
    expect(order.createdAt).toBeInstanceOf(Date);
    expect(
      await count(db, 'SELECT count(*) AS n FROM tickets WHERE order_id = $1', [order.id]),
    ).toBe(2);
    expect(await count(db, 'SELECT total_cents AS n FROM orders WHERE id = $1', [order.id])).toBe(
      11_500,
    );
    expect(await ledger.soldSeats(eventId)).toEqual(['S03', 'V1']);
    expect(await ledger.soldCount(eventId)).toBe(2);
  });

  it('refuses a second order with the same session and key: KEY_EXISTS', async () => {
    const eventId = await withEvent();
    orderOf(await ledger.insertOrder(newOrder(eventId, 'sess-1', 'k1', ['S01'])));
    const again = await ledger.insertOrder(newOrder(eventId, 'sess-1', 'k1', ['S02']));
    expect(again).toEqual({ ok: false, reason: 'KEY_EXISTS' });
    expect(await ledger.soldSeats(eventId)).toEqual(['S01']);
    // The key is scoped to the session: another session may use it.
    orderOf(await ledger.insertOrder(newOrder(eventId, 'sess-2', 'k1', ['S02'])));
  });

  it('refuses a sold seat: SEAT_SOLD names it, and nothing of the order is written', async () => {
    const eventId = await withEvent();
    orderOf(await ledger.insertOrder(newOrder(eventId, 'sess-1', 'k1', ['S05'])));
    const refused = await ledger.insertOrder(newOrder(eventId, 'sess-2', 'k2', ['S06', 'S05']));
    expect(refused).toEqual({ ok: false, reason: 'SEAT_SOLD', seatIds: ['S05'] });
    const sessionOrders =
      'SELECT count(*) AS n FROM orders WHERE session_id = $1 AND event_id = $2';
    expect(await count(db, sessionOrders, [sessionOf(eventId, 'sess-2'), eventId])).toBe(0);
    expect(
      await count(db, 'SELECT count(*) AS n FROM tickets WHERE event_id = $1', [eventId]),
    ).toBe(1);
    expect(await ledger.soldSeats(eventId)).toEqual(['S05']);
  });

  it("keeps a ticket to its order's event, which exists", async () => {
    const eventId = await withEvent();
    const otherId = await withEvent();
    const order = orderOf(await ledger.insertOrder(newOrder(eventId, 'sess-1', 'k1', ['S01'])));
    const insertTicket = (ticketEventId: string): Promise<unknown> =>
      db.query(
        `INSERT INTO tickets (event_id, seat_id, order_id, section_id, price_cents)
          VALUES ($1, 'S02', $2, 'main', 2500)`,
        [ticketEventId, order.id],
      );
    await expect(insertTicket(otherId)).rejects.toMatchObject({ code: '23503' });
    await expect(insertTicket('no-such-event')).rejects.toMatchObject({ code: '23503' });
    expect(await ledger.soldSeats(otherId)).toEqual([]);
  });

  it('throws what is not a refusal (an unknown event) instead of mapping it', async () => {
    await expect(
      ledger.insertOrder(newOrder('no-such-event', 's', 'k', ['S01'])),
    ).rejects.toThrow();
    await expect(ledger.insertOrder(newOrder('no-such-event', 's', 'k', []))).rejects.toThrow(
      RangeError,
    );
  });

  it('finds orders by key and by id, with their tickets', async () => {
    const eventId = await withEvent();
    const order = orderOf(
      await ledger.insertOrder(newOrder(eventId, 'sess-3', 'key-3', ['S09', 'S08'])),
    );
    expect(await ledger.findOrderByKey(order.sessionId, 'key-3')).toEqual(order);
    expect(await ledger.getOrder(order.id)).toEqual(order);
    expect(await ledger.findOrderByKey(order.sessionId, 'other-key')).toBeNull();
    expect(await ledger.getOrder(randomUUID())).toBeNull();
    expect(await ledger.getOrder('not-a-uuid')).toBeNull();
  });

  it('resets one event: its tickets and orders go, other events keep theirs', async () => {
    const eventId = await withEvent();
    const otherId = await withEvent();
    orderOf(await ledger.insertOrder(newOrder(eventId, 'sess-1', 'k1', ['S01', 'S02'])));
    orderOf(await ledger.insertOrder(newOrder(otherId, 'sess-1', 'k2', ['S01'])));
    await ledger.resetEvent(eventId);
    expect(await ledger.soldCount(eventId)).toBe(0);
    expect(await count(db, 'SELECT count(*) AS n FROM orders WHERE event_id = $1', [eventId])).toBe(
      0,
    );
    expect(await ledger.soldSeats(otherId)).toEqual(['S01']);
    orderOf(await ledger.insertOrder(newOrder(eventId, 'sess-1', 'k1', ['S01'])));
  });

  it('sells each seat once when 20 overlapping orders race', async () => {
    const eventId = await withEvent();
    const requests = Array.from({ length: 20 }, (_, i) =>
      newOrder(eventId, `racer-${i}`, 'k', [seat(i), seat(i + 3), seat(i + 7)]),
    );
    // Warm connections make the transactions overlap (a cold pool would start them one by one).
    await Promise.all(requests.map(() => db.query('SELECT 1')));
    const settled = await Promise.allSettled(
      requests.map((request) => ledger.insertOrder(request)),
    );
    const outcomes = settled.map((result) => {
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    });
    const orders = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.order] : []));
    expect(orders.length).toBeGreaterThan(0);
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) return;
      expect(outcome.reason).toBe('SEAT_SOLD');
      const requested = requests[i]?.tickets.map((ticket) => ticket.seatId) ?? [];
      expect(
        outcome.reason === 'SEAT_SOLD' && outcome.seatIds.every((id) => requested.includes(id)),
      ).toBe(true);
    });
    await expectConsistentSales(
      eventId,
      orders.map((order) => order.id),
    );
  });

  async function expectConsistentSales(eventId: string, orderIds: string[]): Promise<void> {
    const doubles = `SELECT count(*) AS n FROM (SELECT seat_id FROM tickets WHERE event_id = $1
      GROUP BY seat_id HAVING count(*) > 1) AS d`;
    expect(await count(db, doubles, [eventId])).toBe(0);
    const bare = `SELECT count(*) AS n FROM orders o WHERE o.event_id = $1
      AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.order_id = o.id)`;
    expect(await count(db, bare, [eventId])).toBe(0);
    expect(await count(db, 'SELECT count(*) AS n FROM orders WHERE event_id = $1', [eventId])).toBe(
      orderIds.length,
    );
    let ticketTotal = 0;
    for (const id of orderIds) {
      const stored = await ledger.getOrder(id);
      expect(stored?.tickets).toHaveLength(3);
      ticketTotal += stored?.tickets.length ?? 0;
    }
    expect(await ledger.soldCount(eventId)).toBe(ticketTotal);
  }

  it('keeps a transaction to its caller: a concurrent query is not part of it', async () => {
    await db.query('CREATE TABLE IF NOT EXISTS scratch (v integer)');
    let outside: Promise<unknown> | undefined;
    const rolledBack = db.transaction(async (tx) => {
      await tx.query('INSERT INTO scratch VALUES ($1)', [1]);
      outside = db.query('INSERT INTO scratch VALUES ($1)', [2]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('roll back');
    });
    await expect(rolledBack).rejects.toThrow('roll back');
    await outside;
    expect(await db.query('SELECT v FROM scratch')).toEqual([{ v: 2 }]);
  });

  it('makes a nested transaction a savepoint', async () => {
    await db.query('CREATE TABLE IF NOT EXISTS scratch2 (v integer)');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO scratch2 VALUES ($1)', [1]);
      const inner = tx.transaction(async (nested) => {
        await nested.query('INSERT INTO scratch2 VALUES ($1)', [2]);
        throw new Error('inner fails');
      });
      await expect(inner).rejects.toThrow('inner fails');
    });
    expect(await db.query('SELECT v FROM scratch2')).toEqual([{ v: 1 }]);
  });

  it('pings: true while open, false once closed', async () => {
    const other = await engine.open();
    const otherLedger = new SqlLedger(other.db);
    expect(await otherLedger.ping()).toBe(true);
    await otherLedger.close();
    expect(await otherLedger.ping()).toBe(false);
    await other.dispose();
  });
});

describe('migrate on PostgreSQL', () => {
  it('lets two replicas migrate the same fresh schema at once', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const first = await openPostgres(schema);
    const second = await openPostgres(schema);
    try {
      const runs = await Promise.all([migrate(first.db), migrate(second.db)]);
      expect(runs.flat()).toEqual(MIGRATIONS);
      expect(await count(first.db, 'SELECT count(*) AS n FROM schema_migrations', [])).toBe(
        MIGRATIONS.length,
      );
    } finally {
      await second.dispose();
      await first.dispose();
    }
  });

  it('adds the event rules to a ledger that already has events, keeping them', async () => {
    const opened = await openPostgres();
    try {
      // The schema as 0003 left it, with an event in it.
      for (const name of MIGRATIONS.slice(0, 3)) {
        const sql = await readFile(
          new URL(`../../src/ledger/migrations/${name}.sql`, import.meta.url),
          'utf8',
        );
        await opened.db.query(sql);
      }
      await opened.db.query(
        `CREATE TABLE schema_migrations (name text PRIMARY KEY, executed_at timestamptz NOT NULL DEFAULT now())`,
      );
      await opened.db.query(
        `INSERT INTO schema_migrations (name) VALUES ($1), ($2), ($3)`,
        MIGRATIONS.slice(0, 3),
      );
      const id = freshEventId();
      await opened.db.query(
        `INSERT INTO events (id, name, venue_name, starts_at, currency, seat_count, layout)
          VALUES ($1, 'Before', 'Hall', now(), 'EUR', 12, $2::jsonb)`,
        [id, JSON.stringify(eventRecord(id).venue)],
      );
      expect(await migrate(opened.db)).toEqual(['0004_event_rules', '0007_outbox_and_webhooks']);
      const ledger = new SqlLedger(opened.db);
      expect(await ledger.getEvent(id)).toMatchObject({
        name: 'Before',
        rules: { singleSeatRule: false, buyerCancellationUntil: null },
        version: 1,
      });
    } finally {
      await opened.dispose();
    }
  });

  it('surfaces a connection failure as an error, and ping as false', async () => {
    const ledger = new SqlLedger(
      createPgDb({ connectionString: 'postgres://postgres@127.0.0.1:1/test' }),
    );
    await expect(ledger.insertOrder(newOrder('ev', 's', 'k', ['S01']))).rejects.toThrow();
    expect(await ledger.ping()).toBe(false);
    await ledger.close();
  });
});
