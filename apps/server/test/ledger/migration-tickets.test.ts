// Migration 0003 on a ledger that already sold seats: the orders and tickets written before it
// keep their data, get a page key and ticket ids, are live and not checked in, and their codes
// (signed with the first key) verify and check in like any other.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/ledger/migrate.js';
import { SqlLedger } from '../../src/ledger/sql-ledger.js';
import { OrderPresenter } from '../../src/orders/present.js';
import { readTicket } from '../../src/tickets/codes.js';
import { TicketKeyring } from '../../src/tickets/keyring.js';
import { engines, eventRecord, freshEventId, type Opened } from './fixtures.js';

const BEFORE = ['0001_init', '0002_tickets_reference_their_order'];
const SECRET = 'a-session-secret-of-at-least-32-characters';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(engines)('migration 0003 on $name', (engine) => {
  let opened: Opened;
  let ledger: SqlLedger;
  const eventId = freshEventId();
  const orderIds = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    opened = await engine.open();
    const { db } = opened;
    ledger = new SqlLedger(db);
    // The ledger as the migrations before this one left it, with sales in it.
    await db.query(
      'CREATE TABLE schema_migrations (name text PRIMARY KEY, executed_at timestamptz)',
    );
    for (const name of BEFORE) {
      const url = new URL(`../../src/ledger/migrations/${name}.sql`, import.meta.url);
      await db.query(await readFile(url, 'utf8'));
      await db.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
    }
    // Written as the ledger of then wrote events (no rules column before 0004).
    await db.query(
      `INSERT INTO events (id, name, venue_name, starts_at, currency, seat_count, layout)
        VALUES ($1, 'Before', 'Hall', now(), 'EUR', 12, $2::jsonb)`,
      [eventId, JSON.stringify(eventRecord(eventId).venue)],
    );
    for (const [i, id] of orderIds.entries()) {
      await db.query(
        `INSERT INTO orders (id, event_id, session_id, idempotency_key, total_cents, currency)
          VALUES ($1, $2, $3, 'k', 5000, 'EUR')`,
        [id, eventId, `session-${i}`],
      );
      for (const seatId of [`S0${2 * i}`, `S0${2 * i + 1}`]) {
        await db.query(
          `INSERT INTO tickets (event_id, seat_id, order_id, section_id, price_cents)
            VALUES ($1, $2, $3, 'main', 2500)`,
          [eventId, seatId, id],
        );
      }
    }
    expect(await migrate(db)).toEqual([
      '0003_ticket_codes_and_checkin',
      '0004_event_rules',
      '0007_outbox_and_webhooks',
    ]);
  });
  afterAll(() => opened?.dispose());

  it('keeps the orders and gives them page keys and their tickets ids', async () => {
    const orders = await Promise.all(orderIds.map((id) => ledger.getOrder(id)));
    const keys = orders.map((order) => order?.accessKey);
    expect(keys.every((key) => /^[0-9a-f]{64}$/.test(key ?? ''))).toBe(true);
    expect(new Set(keys).size).toBe(2);
    const ticketIds = orders.flatMap((order) => order?.tickets.map((t) => t.ticketId) ?? []);
    expect(ticketIds).toHaveLength(4);
    expect(ticketIds.every((id) => UUID.test(id))).toBe(true);
    expect(new Set(ticketIds).size).toBe(4);
    expect(orders[0]).toMatchObject({
      sessionId: 'session-0',
      total: 5000,
      signingKid: null,
      buyer: null,
      tickets: [
        { seatId: 'S00', sectionId: 'main', price: 2500 },
        { seatId: 'S01', sectionId: 'main', price: 2500 },
      ],
    });
    const rows = await opened.db.query<{ status: string; checked_in_at: unknown }>(
      'SELECT status, checked_in_at FROM tickets WHERE event_id = $1',
      [eventId],
    );
    expect(rows.map((row) => [row.status, row.checked_in_at])).toEqual(
      Array.from({ length: 4 }, () => ['live', null]),
    );
  });

  it('signs their tickets with the first key, codes that verify and check in', async () => {
    const keyring = new TicketKeyring(ledger, SECRET);
    await keyring.start();
    const record = await ledger.getOrder(orderIds[1] ?? '');
    if (record === null) throw new Error('order lost');
    const order = await new OrderPresenter(keyring, '').present(record);
    const ticket = order.tickets[0];
    if (ticket === undefined) throw new Error('no ticket');
    const claims = await readTicket(ticket.code, (kid) => keyring.verificationKey(kid));
    expect(claims).toEqual({
      tid: ticket.ticketId,
      eid: eventId,
      sid: 'S02',
      iat: Math.floor(record.createdAt.getTime() / 1000),
    });
    const first = await ledger.checkIn({
      eventId,
      seatId: 'S02',
      ticketId: ticket.ticketId,
      nonce: 'n',
    });
    expect(first.admitted).toBe(true);
    const again = await ledger.checkIn({
      eventId,
      seatId: 'S02',
      ticketId: ticket.ticketId,
      nonce: 'm',
    });
    expect(again).toMatchObject({ admitted: false, ticket: { checkinNonce: 'n' } });
  });
});
