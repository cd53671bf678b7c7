// The Ledger over SQL: the same statements on PostgreSQL (pg pool) and PGlite (embedded mode).
// Orders are written by OrderWriter (group commit; Postgres constraints decide what is refused).
// Reads that tolerate replication lag may go to a read replica; everything else to the primary.
import type { Db } from './db.js';
import { migrate } from './migrate.js';
import { searchOrders } from './order-search.js';
import { OrderWriter } from './order-writes.js';
import { QueueSql, type QueueLedger } from './queue-sql.js';
import { appendOutbox, type OutboxRow } from './outbox.js';
import { OutboxSql } from './outbox-sql.js';
import type { EventRules } from '@ticketmain/protocol';
import { TicketSql } from './ticket-sql.js';
import { WaitlistSql } from './waitlist-sql.js';
import {
  asRow,
  firstRow,
  integer,
  parseEventRow,
  parseEventVersion,
  parseOrderRow,
  parseTextColumn,
  text,
  timestamp,
} from './rows.js';
import type {
  CancelOutcome,
  CheckInOutcome,
  CheckInRequest,
  EventRecord,
  EventVersion,
  InsertOrderOutcome,
  Ledger,
  MinuteSales,
  NewOrder,
  OrderListing,
  OrderRecord,
  OrderSearch,
  SectionSales,
  Revocations,
  SoldSeat,
  StoredTicketKey,
} from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PING_TIMEOUT_MS = 2_000;

const EVENT_COLUMNS = 'id, name, starts_at, currency, seat_count, layout, rules, version';
const EVENT_SELECT = `SELECT ${EVENT_COLUMNS} FROM events`;

// One statement, so one snapshot: an order is never read without its tickets. seat_id is
// COLLATE "C", which sorts like JavaScript: tickets come back as insertOrder returned them.
const ORDER_SELECT = `SELECT o.id, o.event_id, o.session_id, o.idempotency_key, o.total_cents,
    o.currency, o.created_at, o.access_key, o.signing_kid, o.buyer_name, o.buyer_email,
    o.cancelled_at, o.refund_cents,
    coalesce(json_agg(json_build_object('ticketId', t.ticket_id,
        'seatId', t.seat_id, 'sectionId', t.section_id, 'price', t.price_cents)
      ORDER BY t.seat_id) FILTER (WHERE t.seat_id IS NOT NULL), '[]') AS tickets
  FROM orders o LEFT JOIN tickets t ON t.order_id = o.id`;

// The cancellation in one statement, so one transaction: the conditional UPDATE of the order
// (cancelled_at IS NULL) decides; a concurrent second cancel waits for the order's row lock,
// finds it cancelled and changes nothing. The tickets take the order's cancellation time.
const CANCEL_ORDER = `WITH cancelled AS (
    UPDATE orders SET cancelled_at = now(), refund_cents = $2
    WHERE id = $1 AND cancelled_at IS NULL
    RETURNING id, event_id, cancelled_at
  ), cancelled_tickets AS (
    UPDATE tickets t SET status = 'cancelled', cancelled_at = c.cancelled_at
    FROM cancelled c
    WHERE t.event_id = c.event_id AND t.order_id = c.id AND t.status = 'live'
    RETURNING t.ticket_id
  )
  SELECT (SELECT count(*) FROM cancelled) AS orders,
    (SELECT count(*) FROM cancelled_tickets) AS tickets`;

/** order.cancelled's data: what order.confirmed said of the order, and the cancellation. */
function cancelledRow(order: OrderRecord): OutboxRow {
  return {
    type: 'order.cancelled',
    orderId: order.id,
    eventId: order.eventId,
    data: {
      orderId: order.id,
      eventId: order.eventId,
      status: 'CANCELLED',
      seats: order.tickets.map(({ seatId, sectionId, price }) => ({ seatId, sectionId, price })),
      total: order.total,
      currency: order.currency,
      cancelledAt: order.cancelledAt?.toISOString() ?? null,
      refund: { amount: order.refund ?? 0, currency: order.currency },
    },
  };
}

export class SqlLedger implements Ledger {
  /**
   * @param db the primary: every write, and every read that decides something (sold seats,
   *   idempotency keys), since a replica may lag behind it
   * @param reads where the event list, event lookups and order lookups go (a read replica)
   */
  private readonly orders: OrderWriter;
  private readonly tickets: TicketSql;
  readonly queues: QueueLedger;
  /** Webhook endpoints and the outbox dispatcher's statements (always on the primary). */
  readonly outbox: OutboxSql;
  /** The waiting list of sold-out events (always on the primary). */
  readonly waitlist: WaitlistSql;

  constructor(
    private readonly db: Db,
    private readonly reads: Db = db,
  ) {
    this.orders = new OrderWriter(db);
    this.tickets = new TicketSql(db);
    this.queues = new QueueSql(db);
    this.outbox = new OutboxSql(db);
    this.waitlist = new WaitlistSql(db);
  }

  async migrate(): Promise<void> {
    await migrate(this.db);
  }

  async createEvent(event: EventRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO events (id, name, venue_name, starts_at, currency, seat_count, layout, rules)
        VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb)`,
      [
        event.id,
        event.name,
        event.venue.name,
        event.startsAt.toISOString(),
        event.currency,
        event.seatCount,
        JSON.stringify(event.venue),
        JSON.stringify(event.rules),
      ],
    );
  }

  async getEvent(eventId: string): Promise<EventRecord | null> {
    const rows = await this.readYourWrites(`${EVENT_SELECT} WHERE id = $1`, [eventId]);
    return rows.length === 0 ? null : parseEventRow(rows[0]);
  }

  async listEvents(): Promise<EventRecord[]> {
    const rows = await this.reads.query(`${EVENT_SELECT} ORDER BY starts_at, id`);
    return rows.map(parseEventRow);
  }

  async listEventIds(): Promise<string[]> {
    return parseTextColumn(await this.reads.query('SELECT id FROM events ORDER BY id'), 'id');
  }

  async eventVersions(): Promise<EventVersion[]> {
    const rows = await this.db.query('SELECT id, version FROM events ORDER BY id');
    return rows.map(parseEventVersion);
  }

  async updateRules(eventId: string, changes: Partial<EventRules>): Promise<EventRecord | null> {
    // Merged in the statement: two PATCHes of different rules both count.
    const rows = await this.db.query(
      `UPDATE events SET rules = rules || $2::jsonb, version = version + 1 WHERE id = $1
        RETURNING ${EVENT_COLUMNS}`,
      [eventId, JSON.stringify(changes)],
    );
    return rows.length === 0 ? null : parseEventRow(rows[0]);
  }

  async soldSeats(eventId: string): Promise<string[]> {
    const rows = await this.db.query(
      "SELECT seat_id FROM tickets WHERE event_id = $1 AND status = 'live' ORDER BY seat_id",
      [eventId],
    );
    return parseTextColumn(rows, 'seat_id');
  }

  async sales(eventId: string): Promise<SoldSeat[]> {
    const rows = await this.db.query(
      `SELECT t.seat_id, o.session_id FROM tickets t
       JOIN orders o ON o.event_id = t.event_id AND o.id = t.order_id
       WHERE t.event_id = $1 AND t.status = 'live' ORDER BY t.seat_id`,
      [eventId],
    );
    const seats = parseTextColumn(rows, 'seat_id');
    const buyers = parseTextColumn(rows, 'session_id');
    return seats.map((seatId, i) => ({ seatId, sessionId: buyers[i] ?? '' }));
  }

  async soldCount(eventId: string): Promise<number> {
    const rows = await this.db.query(
      "SELECT count(*) AS n FROM tickets WHERE event_id = $1 AND status = 'live'",
      [eventId],
    );
    return integer(firstRow(rows), 'n');
  }

  async cancelledSales(eventId: string, seatIds: string[]): Promise<SoldSeat[]> {
    const rows = await this.db.query(
      `SELECT DISTINCT ON (t.seat_id) t.seat_id, o.session_id FROM tickets t
       JOIN orders o ON o.event_id = t.event_id AND o.id = t.order_id
       WHERE t.event_id = $1 AND t.seat_id = ANY ($2::text[]) AND t.status = 'cancelled'
       ORDER BY t.seat_id, t.cancelled_at DESC`,
      [eventId, seatIds],
    );
    const seats = parseTextColumn(rows, 'seat_id');
    const buyers = parseTextColumn(rows, 'session_id');
    return seats.map((seatId, i) => ({ seatId, sessionId: buyers[i] ?? '' }));
  }

  async salesBySection(eventId: string): Promise<SectionSales[]> {
    const rows = await this.db.query(
      `SELECT section_id, count(*) AS sold, sum(price_cents) AS revenue FROM tickets
       WHERE event_id = $1 AND status = 'live' GROUP BY section_id ORDER BY section_id`,
      [eventId],
    );
    return rows.map((value) => {
      const row = asRow(value);
      return {
        sectionId: text(row, 'section_id'),
        sold: integer(row, 'sold'),
        revenue: integer(row, 'revenue'),
      };
    });
  }

  async salesByMinute(eventId: string, since: Date): Promise<MinuteSales[]> {
    const rows = await this.db.query(
      `SELECT date_trunc('minute', o.created_at) AS minute, count(DISTINCT o.id) AS orders,
         count(*) AS tickets, sum(t.price_cents) AS revenue
       FROM orders o JOIN tickets t ON t.event_id = o.event_id AND t.order_id = o.id
       WHERE o.event_id = $1 AND o.created_at >= $2 AND t.status = 'live'
       GROUP BY 1 ORDER BY 1`,
      [eventId, since.toISOString()],
    );
    return rows.map((value) => {
      const row = asRow(value);
      return {
        minute: timestamp(row, 'minute'),
        orders: integer(row, 'orders'),
        tickets: integer(row, 'tickets'),
        revenue: integer(row, 'revenue'),
      };
    });
  }

  insertOrder(order: NewOrder): Promise<InsertOrderOutcome> {
    return this.orders.insertOrder(order);
  }

  async findOrderByKey(sessionId: string, idempotencyKey: string): Promise<OrderRecord | null> {
    const rows = await this.db.query(
      `${ORDER_SELECT} WHERE o.session_id = $1 AND o.idempotency_key = $2 GROUP BY o.id`,
      [sessionId, idempotencyKey],
    );
    return rows.length === 0 ? null : parseOrderRow(rows[0]);
  }

  async getOrder(orderId: string): Promise<OrderRecord | null> {
    // Anything but a uuid names no order; Postgres would refuse the cast (22P02), a 500.
    if (!UUID.test(orderId)) return null;
    const rows = await this.readYourWrites(`${ORDER_SELECT} WHERE o.id = $1 GROUP BY o.id`, [
      orderId,
    ]);
    return rows.length === 0 ? null : parseOrderRow(rows[0]);
  }

  async cancelOrder(orderId: string, refund: number): Promise<CancelOutcome | null> {
    if (!UUID.test(orderId)) return null;
    // The order is read back in the same transaction, on the primary: a replica may not have
    // the cancellation yet.
    return this.db.transaction(async (tx) => {
      const counts = firstRow(await tx.query(CANCEL_ORDER, [orderId, refund]));
      const rows = await tx.query(`${ORDER_SELECT} WHERE o.id = $1 GROUP BY o.id`, [orderId]);
      if (rows.length === 0) return null;
      const order = parseOrderRow(rows[0]);
      const cancelled = integer(counts, 'orders') > 0;
      // Reported with the change itself: order.cancelled commits if and only if it does.
      if (cancelled) await appendOutbox(tx, [cancelledRow(order)]);
      return { order, cancelled };
    });
  }

  /** On the read pool: a search may miss an order placed a moment ago. */
  searchOrders(search: OrderSearch): Promise<OrderListing[]> {
    return searchOrders(this.reads, search);
  }

  ticketKeys(): Promise<StoredTicketKey[]> {
    return this.tickets.ticketKeys();
  }

  insertTicketKey(key: StoredTicketKey): Promise<boolean> {
    return this.tickets.insertTicketKey(key);
  }

  insertScannerToken(eventId: string, tokenHash: string): Promise<void> {
    return this.tickets.insertScannerToken(eventId, tokenHash);
  }

  scannerTokenEvent(tokenHash: string): Promise<string | null> {
    return this.tickets.scannerTokenEvent(tokenHash);
  }

  checkIn(request: CheckInRequest): Promise<CheckInOutcome> {
    return this.tickets.checkIn(request);
  }

  revocations(eventId: string, since: Date): Promise<Revocations> {
    return this.tickets.revocations(eventId, since);
  }

  checkInSummary(eventId: string): Promise<{ checkedIn: number; expected: number } | null> {
    return this.tickets.checkInSummary(eventId);
  }

  async resetEvent(eventId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM tickets WHERE event_id = $1', [eventId]);
      await tx.query('DELETE FROM orders WHERE event_id = $1', [eventId]);
    });
  }

  /** Both pools answer: the event list is served by the read one. */
  async ping(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(resolve, PING_TIMEOUT_MS, false);
    });
    const pools = this.reads === this.db ? [this.db] : [this.db, this.reads];
    const answered = Promise.all(pools.map((db) => db.query('SELECT 1'))).then(() => true);
    try {
      return await Promise.race([answered, timedOut]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.db.close(), this.reads.close()]);
  }

  /**
   * A lookup on the read pool; a miss is asked again of the primary, so that an event or order
   * written a moment ago (not yet replicated) is never reported missing to the one who wrote it.
   */
  private async readYourWrites(sql: string, params: unknown[]): Promise<unknown[]> {
    const rows = await this.reads.query(sql, params);
    return rows.length > 0 || this.reads === this.db ? rows : this.db.query(sql, params);
  }
}
