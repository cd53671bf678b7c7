// The transactional outbox: what happened, written in the same statement or transaction as the
// change itself, with one delivery row per target that wants it. Nothing is sent from here; the
// dispatcher (jobs/dispatcher.ts) claims the deliveries. See docs/design.md "Webhooks".
import type { Db } from './db.js';
import { firstRow, integer } from './rows.js';

/** The events a webhook endpoint may subscribe to (API.md "Webhooks"). */
export const WEBHOOK_EVENT_TYPES = [
  'order.confirmed',
  'order.cancelled',
  'ticket.checked_in',
  'event.sold_out',
  'queue.opened',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Internal: the buyer's confirmation, sent by the dispatcher's mailer, never to a webhook. */
export const MAIL_ORDER_CONFIRMATION = 'mail.order_confirmation';
export type OutboxType = WebhookEventType | typeof MAIL_ORDER_CONFIRMATION;

/** The target of mail deliveries (webhook deliveries name their endpoint's id). */
export const MAIL_TARGET = 'mail';

export interface OutboxRow {
  type: OutboxType;
  /** Deliveries of one order go out in the order they were written; null: not about an order. */
  orderId: string | null;
  eventId: string | null;
  /** The `data` of the webhook's body; for mail, what the mailer needs to find its content. */
  data: Record<string, unknown>;
}

/** The JSON that OUTBOX_ROWS_PARAM reads (jsonb_to_recordset): one object per row. */
export function outboxJson(rows: readonly OutboxRow[]): string {
  return JSON.stringify(
    rows.map((row) => ({
      type: row.type,
      order_id: row.orderId,
      event_id: row.eventId,
      data: row.data,
    })),
  );
}

/** A relation (type, order_id, event_id, data) from a jsonb parameter made by outboxJson. */
export function outboxRowsFrom(param: string): string {
  return `SELECT type, order_id, event_id, data
    FROM jsonb_to_recordset(${param}::jsonb) AS r (type text, order_id uuid, event_id text, data jsonb)`;
}

/** An ISO-8601 UTC time with milliseconds, as JavaScript's toISOString writes it. */
export function isoTime(sql: string): string {
  return `to_char(${sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * The CTEs (to follow a WITH … , or start one) that write the rows of the relation `outbox_rows`
 * (type, order_id, event_id, data) that some target wants, and a delivery per target: 'mail' for
 * mail rows, every enabled endpoint subscribed to the type for the others. A row nobody wants is
 * not written, so with no endpoint and no e-mail a sale writes nothing more than before.
 * Delivery ids follow the outbox ids: the order per order and target the dispatcher keeps.
 */
export const FAN_OUT_CTES = `new_outbox AS (
    INSERT INTO outbox (type, order_id, event_id, data)
    SELECT r.type, r.order_id, r.event_id, r.data FROM outbox_rows r
    WHERE r.type LIKE 'mail.%' OR EXISTS (SELECT 1 FROM webhook_endpoints e
      WHERE e.disabled_at IS NULL AND r.type = ANY (e.events))
    RETURNING id, type, order_id
  ), new_deliveries AS (
    INSERT INTO outbox_deliveries (outbox_id, target, order_id)
    SELECT outbox_id, target, order_id FROM (
      SELECT o.id AS outbox_id, '${MAIL_TARGET}' AS target, o.order_id FROM new_outbox o
        WHERE o.type LIKE 'mail.%'
      UNION ALL
      SELECT o.id, e.id::text, o.order_id FROM new_outbox o
        JOIN webhook_endpoints e ON e.disabled_at IS NULL AND o.type = ANY (e.events)
        WHERE o.type NOT LIKE 'mail.%'
    ) AS d ORDER BY outbox_id, target
  )`;

const APPEND = `WITH outbox_rows AS (${outboxRowsFrom('$1')}), ${FAN_OUT_CTES}
  SELECT count(*) AS n FROM new_outbox`;

/**
 * Appends events to the outbox on `tx`: call it inside the transaction that makes the change
 * (`db.transaction(async (tx) => { …change…; await appendOutbox(tx, rows) })`), so the event is
 * recorded if and only if the change commits. One statement for all the rows. Returns how many
 * rows some target wanted (those are written; the others are not).
 */
export async function appendOutbox(tx: Db, rows: readonly OutboxRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return integer(firstRow(await tx.query(APPEND, [outboxJson(rows)])), 'n');
}
