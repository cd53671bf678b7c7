// The organiser's order search over SQL: an event's orders by the start of their id (a range of
// the primary key) or of the buyer's e-mail, newest first, each with its seats and status.
import type { Db } from './db.js';
import { asRow, buyerOf, integer, text, timestamp } from './rows.js';
import type { OrderListing, OrderSearch } from './types.js';

// A cancelled order keeps its rows (migration 0005) with its cancelled_at. The e-mail is matched
// on lower(), the form the index orders_event_buyer_email (migration 0008) serves.
const SELECT = `SELECT o.id, o.event_id, o.total_cents, o.currency, o.created_at, o.buyer_name,
    o.buyer_email,
    coalesce(array_agg(t.seat_id ORDER BY t.seat_id) FILTER (WHERE t.seat_id IS NOT NULL), '{}')
      AS seat_ids,
    o.cancelled_at IS NOT NULL AS cancelled
  FROM orders o LEFT JOIN tickets t ON t.event_id = o.event_id AND t.order_id = o.id`;

export async function searchOrders(db: Db, search: OrderSearch): Promise<OrderListing[]> {
  const { idRange, emailPattern } = search.terms;
  const params: unknown[] = [search.eventId, search.limit];
  const matches: string[] = [];
  if (idRange !== null) {
    params.push(idRange.low, idRange.high);
    matches.push(`o.id BETWEEN $${params.length - 1}::uuid AND $${params.length}::uuid`);
  }
  if (emailPattern !== null) {
    params.push(emailPattern);
    matches.push(`lower(o.buyer_email) LIKE $${params.length} ESCAPE '\\'`);
  }
  const where = matches.length === 0 ? '' : ` AND (${matches.join(' OR ')})`;
  const rows = await db.query(
    `${SELECT} WHERE o.event_id = $1${where}
      GROUP BY o.id ORDER BY o.created_at DESC, o.id LIMIT $2`,
    params,
  );
  return rows.map(parseListing);
}

function parseListing(value: unknown): OrderListing {
  const row = asRow(value);
  const seatIds = row.seat_ids;
  if (!Array.isArray(seatIds) || !seatIds.every((s) => typeof s === 'string')) {
    throw new Error('ledger row: unexpected seat_ids');
  }
  return {
    id: text(row, 'id'),
    eventId: text(row, 'event_id'),
    status: row.cancelled === true ? 'CANCELLED' : 'CONFIRMED',
    seatIds: seatIds as string[],
    total: integer(row, 'total_cents'),
    currency: text(row, 'currency'),
    createdAt: timestamp(row, 'created_at'),
    buyer: buyerOf(row),
  };
}
