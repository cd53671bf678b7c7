// Writing orders with group commit: orders that arrive while a write is in flight are written
// together, in ONE statement (so one round trip, one plan and one WAL flush for all of them).
// Postgres constraints decide idempotency and double sales; a batch that a constraint refuses
// is written again one order at a time, so that each order gets its own exact answer.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from './db.js';
import { GroupCommit } from './group-commit.js';
import {
  FAN_OUT_CTES,
  isoTime,
  MAIL_ORDER_CONFIRMATION,
  outboxJson,
  outboxRowsFrom,
  type OutboxRow,
} from './outbox.js';
import { firstRow, parseTextColumn, timestamp } from './rows.js';
import type {
  InsertOrderOutcome,
  NewOrder,
  NewTicket,
  OrderRecord,
  TicketRecord,
} from './types.js';

const UNIQUE_VIOLATION = '23505';
/** SQLSTATE class 23: a unique key, a foreign key or a check refused a row. */
const INTEGRITY_VIOLATION_CLASS = '23';
const KEY_CONSTRAINT = 'orders_idempotency_key';
/** The unique index over live tickets (migration 0005): a seat has one live ticket at most. */
const SEAT_CONSTRAINT = 'tickets_live_seat';

/** Bounds the statement's size (at most 8 seats an order) and the wait of the last order. */
const MAX_BATCH = 64;
/** One batch writing while the next one gathers; more would only split the batches. */
const MAX_IN_FLIGHT = 1;

// The orders' outbox rows (order.confirmed, and the buyer's mail), in the same statement as the
// orders: an order is reported if and only if it commits, at the cost of one more parameter. The
// order's createdAt is the statement's now(), which is the orders' created_at default.
function orderOutboxCtes(param: string): string {
  return `outbox_rows AS (
    SELECT type, order_id, event_id,
      CASE WHEN type = 'order.confirmed'
        THEN data || jsonb_build_object('createdAt', ${isoTime('now()')}) ELSE data END AS data
    FROM (${outboxRowsFrom(param)}) AS given
  ), ${FAN_OUT_CTES}`;
}

// The order and its tickets in ONE statement: atomic on its own (no BEGIN/COMMIT round trips,
// no connection held across them), and the foreign key from tickets to the new order is checked
// at the end of the statement, when the order row exists. unnest yields the rows in array order;
// with the seats sorted, every order locks the seats it contends for in the same order, so
// overlapping orders wait instead of deadlocking.
const INSERT_ORDER = `WITH new_order AS (
    INSERT INTO orders (id, event_id, session_id, idempotency_key, total_cents, currency,
      access_key, signing_kid, buyer_name, buyer_email)
    VALUES ($1, $2, $3, $4, $5, $6, $10, $11, $12, $13) RETURNING created_at
  ), new_tickets AS (
    INSERT INTO tickets (event_id, seat_id, order_id, section_id, price_cents, ticket_id)
    SELECT $2, seat_id, $1, section_id, price_cents, ticket_id
    FROM unnest($7::text[], $8::text[], $9::integer[], $14::uuid[])
      AS t (seat_id, section_id, price_cents, ticket_id)
  ), ${orderOutboxCtes('$15')}
  SELECT created_at FROM new_order`;

// A batch of orders as the single statement above, one array per column, so that one prepared
// statement serves every batch size. The orders are sorted by idempotency key and the tickets
// by seat across the whole batch: concurrent statements take their locks in the same order.
// created_at defaults to now(), the transaction's start: the same for every order of the batch.
const INSERT_ORDERS = `WITH new_orders AS (
    INSERT INTO orders (id, event_id, session_id, idempotency_key, total_cents, currency,
      access_key, signing_kid, buyer_name, buyer_email)
    SELECT id, event_id, session_id, idempotency_key, total_cents, currency,
      access_key, signing_kid, buyer_name, buyer_email
    FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[],
        $12::text[], $13::text[], $14::text[], $15::text[])
      AS o (id, event_id, session_id, idempotency_key, total_cents, currency,
        access_key, signing_kid, buyer_name, buyer_email)
    RETURNING created_at
  ), new_tickets AS (
    INSERT INTO tickets (event_id, seat_id, order_id, section_id, price_cents, ticket_id)
    SELECT event_id, seat_id, order_id, section_id, price_cents, ticket_id
    FROM unnest($7::text[], $8::text[], $9::uuid[], $10::text[], $11::integer[], $16::uuid[])
      AS t (event_id, seat_id, order_id, section_id, price_cents, ticket_id)
  ), ${orderOutboxCtes('$17')}
  SELECT created_at FROM new_orders LIMIT 1`;

/** An order with its ids, page key and its tickets sorted by seat (see INSERT_ORDER). */
interface PendingOrder {
  order: NewOrder;
  id: string;
  accessKey: string;
  tickets: TicketRecord[];
  total: number;
}

/** 24 random bytes: the secret of an order's page link (base64url, 32 characters). */
const ACCESS_KEY_BYTES = 24;

export class OrderWriter {
  private readonly batches = new GroupCommit<PendingOrder, InsertOrderOutcome>(
    (orders) => this.writeBatch(orders),
    { maxBatch: MAX_BATCH, maxInFlight: MAX_IN_FLIGHT },
  );

  constructor(private readonly db: Db) {}

  /** Writes the order and its tickets, all or nothing, maybe in a batch with others. */
  async insertOrder(order: NewOrder): Promise<InsertOrderOutcome> {
    const tickets = sortedTickets(order.tickets);
    const total = tickets.reduce((sum, ticket) => sum + ticket.price, 0);
    const accessKey = randomBytes(ACCESS_KEY_BYTES).toString('base64url');
    return this.batches.submit({ order, id: randomUUID(), accessKey, tickets, total });
  }

  private async writeBatch(
    orders: PendingOrder[],
  ): Promise<Array<PromiseSettledResult<InsertOrderOutcome>>> {
    if (orders.length === 1) return Promise.allSettled(orders.map((o) => this.writeOne(o)));
    let createdAt: Date;
    try {
      createdAt = await this.writeMany(orders);
    } catch (err) {
      if (!isIntegrityViolation(err)) throw err;
      // Rare (the hold store pinned the seats first): a sold seat or a reused key. Nothing of
      // the batch was written; one order at a time, each gets its own answer.
      return Promise.allSettled(orders.map((o) => this.writeOne(o)));
    }
    return orders.map((o) => ({
      status: 'fulfilled',
      value: { ok: true, order: record(o, createdAt) },
    }));
  }

  /** One order alone: its refusal, if any, is mapped to an outcome. */
  private async writeOne(pending: PendingOrder): Promise<InsertOrderOutcome> {
    const { order, id, accessKey, tickets, total } = pending;
    let rows: unknown[];
    try {
      rows = await this.db.query(
        INSERT_ORDER,
        [
          id,
          order.eventId,
          order.sessionId,
          order.idempotencyKey,
          total,
          order.currency,
          tickets.map((ticket) => ticket.seatId),
          tickets.map((ticket) => ticket.sectionId),
          tickets.map((ticket) => ticket.price),
          accessKey,
          order.signingKid,
          order.buyer?.name ?? null,
          order.buyer?.email ?? null,
          tickets.map((ticket) => ticket.ticketId),
          outboxJson(outboxRows(pending)),
        ],
        { prepareAs: 'ticketmain_insert_order' },
      );
    } catch (err) {
      return this.refusal(err, order.eventId, tickets);
    }
    return { ok: true, order: record(pending, timestamp(firstRow(rows), 'created_at')) };
  }

  /** The whole batch in one statement; returns its orders' creation time. */
  private async writeMany(orders: PendingOrder[]): Promise<Date> {
    const sorted = [...orders].sort(
      (a, b) =>
        compare(a.order.sessionId, b.order.sessionId) ||
        compare(a.order.idempotencyKey, b.order.idempotencyKey),
    );
    const tickets = sorted
      .flatMap(({ order, id, tickets }) =>
        tickets.map((ticket) => ({ eventId: order.eventId, orderId: id, ...ticket })),
      )
      .sort((a, b) => compare(a.eventId, b.eventId) || compare(a.seatId, b.seatId));
    const rows = await this.db.query(
      INSERT_ORDERS,
      [
        sorted.map((o) => o.id),
        sorted.map((o) => o.order.eventId),
        sorted.map((o) => o.order.sessionId),
        sorted.map((o) => o.order.idempotencyKey),
        sorted.map((o) => o.total),
        sorted.map((o) => o.order.currency),
        tickets.map((ticket) => ticket.eventId),
        tickets.map((ticket) => ticket.seatId),
        tickets.map((ticket) => ticket.orderId),
        tickets.map((ticket) => ticket.sectionId),
        tickets.map((ticket) => ticket.price),
        sorted.map((o) => o.accessKey),
        sorted.map((o) => o.order.signingKid),
        sorted.map((o) => o.order.buyer?.name ?? null),
        sorted.map((o) => o.order.buyer?.email ?? null),
        tickets.map((ticket) => ticket.ticketId),
        outboxJson(sorted.flatMap(outboxRows)),
      ],
      { prepareAs: 'ticketmain_insert_orders' },
    );
    return timestamp(firstRow(rows), 'created_at');
  }

  /** Maps the constraint that refused the order to an outcome; any other error is rethrown. */
  private async refusal(
    err: unknown,
    eventId: string,
    tickets: TicketRecord[],
  ): Promise<InsertOrderOutcome> {
    const constraint = violatedUniqueConstraint(err);
    if (constraint === KEY_CONSTRAINT) return { ok: false, reason: 'KEY_EXISTS' };
    if (constraint !== SEAT_CONSTRAINT) throw err;
    const requested = tickets.map((ticket) => ticket.seatId);
    const sold = await this.soldAmong(eventId, requested);
    // Empty only if an admin reset removed the other sale meanwhile; the refusal stands (the
    // reset also dropped this buyer's holds) and still names the seats.
    return { ok: false, reason: 'SEAT_SOLD', seatIds: sold.length > 0 ? sold : requested };
  }

  private async soldAmong(eventId: string, seatIds: string[]): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT seat_id FROM tickets WHERE event_id = $1 AND seat_id = ANY ($2::text[])
        AND status = 'live' ORDER BY seat_id`,
      [eventId, seatIds],
    );
    return parseTextColumn(rows, 'seat_id');
  }
}

function record(pending: PendingOrder, createdAt: Date): OrderRecord {
  const { order, id, accessKey, tickets, total } = pending;
  const { eventId, sessionId, idempotencyKey, currency, signingKid } = order;
  const buyer = order.buyer ?? null;
  return {
    ...{ id, eventId, sessionId, idempotencyKey, tickets, total, currency, createdAt },
    ...{ accessKey, signingKid, buyer, cancelledAt: null, refund: null },
  };
}

/**
 * What the outbox says of a new order: order.confirmed for webhooks (no ticket codes and no page
 * key: a receiver that needs them asks the API), and the confirmation mail if there is an e-mail.
 */
function outboxRows(pending: PendingOrder): OutboxRow[] {
  const { order, id, tickets, total } = pending;
  const confirmed: OutboxRow = {
    type: 'order.confirmed',
    orderId: id,
    eventId: order.eventId,
    data: {
      orderId: id,
      eventId: order.eventId,
      status: 'CONFIRMED',
      seats: tickets.map(({ seatId, sectionId, price }) => ({ seatId, sectionId, price })),
      tickets: tickets.map(({ ticketId, seatId, sectionId }) => ({ ticketId, seatId, sectionId })),
      total,
      currency: order.currency,
      ...(order.buyer === undefined ? {} : { buyer: order.buyer }),
    },
  };
  if (order.buyer === undefined) return [confirmed];
  const mail: OutboxRow = {
    type: MAIL_ORDER_CONFIRMATION,
    orderId: id,
    eventId: order.eventId,
    data: { orderId: id },
  };
  return [confirmed, mail];
}

/** Byte order, as the seat ids' COLLATE "C" sorts them. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorted by seat id (see INSERT_ORDER), each with a new ticket id; an order needs distinct
 * seats, at least one.
 */
function sortedTickets(tickets: NewTicket[]): TicketRecord[] {
  const sorted = [...tickets].sort((a, b) => compare(a.seatId, b.seatId));
  if (sorted.length === 0) throw new RangeError('an order needs at least one ticket');
  if (sorted.some((ticket, i) => i > 0 && ticket.seatId === sorted[i - 1]?.seatId)) {
    throw new RangeError('an order lists a seat twice');
  }
  return sorted.map((ticket) => ({ ...ticket, ticketId: randomUUID() }));
}

function sqlState(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code } = err as { code?: unknown };
  return typeof code === 'string' ? code : undefined;
}

function isIntegrityViolation(err: unknown): boolean {
  return sqlState(err)?.startsWith(INTEGRITY_VIOLATION_CLASS) ?? false;
}

/** The constraint named by a unique violation, from pg's and PGlite's DatabaseError alike. */
function violatedUniqueConstraint(err: unknown): string | undefined {
  if (sqlState(err) !== UNIQUE_VIOLATION) return undefined;
  const { constraint } = err as { constraint?: unknown };
  return typeof constraint === 'string' ? constraint : undefined;
}
