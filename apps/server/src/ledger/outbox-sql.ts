// The ledger's outbox part over SQL: webhook endpoints, and the dispatcher's statements (claim
// due deliveries under a lease, record attempts). Each is one short statement: no transaction
// is held open while a delivery is in flight.
import type { Db } from './db.js';
import { FAN_OUT_CTES, isoTime } from './outbox.js';
import { firstRow, integer, nullable, text, timestamp, type Row } from './rows.js';

export interface WebhookEndpointRecord {
  id: string;
  url: string;
  events: string[];
  sealedSecret: string;
  createdAt: Date;
  disabledAt: Date | null;
}

/** A delivery claimed by this replica until its lease runs out. */
export interface ClaimedDelivery {
  id: number;
  /** This attempt's number (1 for the first); its result is written only while it matches. */
  attempt: number;
  target: string;
  outboxId: number;
  type: string;
  data: Record<string, unknown>;
  /** When the event was written: the body's timestamp, and the start of the 3-day retry window. */
  occurredAt: Date;
  /** The endpoint of a webhook delivery; null for mail, or an endpoint deleted meanwhile. */
  endpoint: { url: string; sealedSecret: string; disabled: boolean } | null;
}

export interface DeliveryResult {
  id: number;
  attempt: number;
  state: 'pending' | 'delivered' | 'failed';
  /** The HTTP status, if an answer came. */
  status: number | null;
  error: string | null;
  /** With state pending: the next attempt is due in this many milliseconds. */
  retryInMs: number | null;
}

export interface AttemptRecord {
  deliveryId: number;
  type: string;
  attemptedAt: Date;
  status: number | null;
  error: string | null;
  nextAttemptAt: Date | null;
}

const ENDPOINT_COLUMNS = 'id, url, events, sealed_secret, created_at, disabled_at';

// A delivery is due when its time has come, no replica holds its lease, and no earlier delivery
// of the same order to the same target is still pending (in order per order). SKIP LOCKED: two
// replicas claiming at once take different rows instead of waiting for each other.
const CLAIM = `WITH due AS (
    SELECT d.id, d.target, d.outbox_id FROM outbox_deliveries d
    WHERE d.state = 'pending' AND d.next_attempt_at <= now()
      AND (d.locked_until IS NULL OR d.locked_until <= now())
      AND (d.order_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM outbox_deliveries p
        WHERE p.state = 'pending' AND p.order_id IS NOT NULL
          AND p.target = d.target AND p.order_id = d.order_id AND p.id < d.id))
    ORDER BY d.next_attempt_at, d.id
    LIMIT $1
    FOR UPDATE OF d SKIP LOCKED
  )
  UPDATE outbox_deliveries d
  SET locked_until = now() + $2 * interval '1 millisecond', attempts = d.attempts + 1
  FROM due JOIN outbox o ON o.id = due.outbox_id
    LEFT JOIN webhook_endpoints e ON e.id::text = due.target
  WHERE d.id = due.id
  RETURNING d.id, d.attempts, d.target, o.id AS outbox_id, o.type, o.data, o.created_at,
    e.url, e.sealed_secret, e.disabled_at`;

// Written only by the attempt that holds the delivery (attempts still its number, still
// pending): a replica that outlived its lease cannot undo what the next attempt recorded.
const RECORD = `WITH r AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb)
      AS r (id bigint, attempt integer, state text, status integer, error text, retry_ms bigint)
  ), updated AS (
    UPDATE outbox_deliveries d
    SET state = r.state, locked_until = NULL, last_attempt_at = now(), last_status = r.status,
      next_attempt_at = CASE WHEN r.state = 'pending'
        THEN now() + r.retry_ms * interval '1 millisecond' ELSE d.next_attempt_at END
    FROM r WHERE d.id = r.id AND d.attempts = r.attempt AND d.state = 'pending'
    RETURNING d.id, d.target, d.state, d.next_attempt_at, r.status, r.error
  )
  INSERT INTO delivery_attempts (delivery_id, target, status, error, next_attempt_at)
  SELECT id, target, status, error, CASE WHEN state = 'pending' THEN next_attempt_at END
  FROM updated ORDER BY id`;

const DISABLE = `WITH endpoint AS (
    UPDATE webhook_endpoints SET disabled_at = now() WHERE id = $1 AND disabled_at IS NULL
    RETURNING id
  )
  UPDATE outbox_deliveries SET state = 'failed', locked_until = NULL
  WHERE target = $2 AND state = 'pending'`;

const DELETE = `WITH endpoint AS (DELETE FROM webhook_endpoints WHERE id = $1 RETURNING id),
  deliveries AS (
    DELETE FROM outbox_deliveries WHERE target = $2 AND EXISTS (SELECT 1 FROM endpoint)
  )
  SELECT count(*) AS n FROM endpoint`;

const ATTEMPTS = `SELECT a.delivery_id, o.type, a.attempted_at, a.status, a.error, a.next_attempt_at
  FROM delivery_attempts a
  JOIN outbox_deliveries d ON d.id = a.delivery_id
  JOIN outbox o ON o.id = d.outbox_id
  WHERE a.target = $1 ORDER BY a.id DESC LIMIT $2`;

// Finished deliveries (and their attempts) older than the retention, then the outbox rows left
// without a delivery.
const PRUNE = `WITH old AS (
    DELETE FROM outbox_deliveries
    WHERE state <> 'pending' AND created_at < now() - $1 * interval '1 millisecond'
    RETURNING outbox_id
  )
  DELETE FROM outbox o WHERE o.id IN (SELECT outbox_id FROM old)
    AND NOT EXISTS (SELECT 1 FROM outbox_deliveries d WHERE d.outbox_id = o.id)`;

// The ledger decides, not the hold store that prompted the call: every seat has a live ticket.
const SOLD_OUT = `WITH flag AS (
    INSERT INTO events_sold_out (event_id)
    SELECT e.id FROM events e WHERE e.id = $1
      AND (SELECT count(*) FROM tickets t WHERE t.event_id = e.id AND t.status = 'live')
        >= e.seat_count
    ON CONFLICT DO NOTHING RETURNING event_id, sold_out_at
  ), outbox_rows AS (
    SELECT 'event.sold_out'::text AS type, NULL::uuid AS order_id, event_id,
      jsonb_build_object('eventId', event_id, 'soldOutAt', ${isoTime('sold_out_at')}) AS data
    FROM flag
  ), ${FAN_OUT_CTES}
  SELECT count(*) AS n FROM flag`;

const QUEUE_OPENED = `WITH flag AS (
    INSERT INTO queues_opened (event_id, opens_at) SELECT id, $2 FROM events WHERE id = $1
    ON CONFLICT DO NOTHING RETURNING event_id, opens_at
  ), outbox_rows AS (
    SELECT 'queue.opened'::text AS type, NULL::uuid AS order_id, event_id,
      jsonb_build_object('eventId', event_id, 'opensAt', ${isoTime('opens_at')}) AS data
    FROM flag
  ), ${FAN_OUT_CTES}
  SELECT count(*) AS n FROM flag`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class OutboxSql {
  constructor(private readonly db: Db) {}

  async createEndpoint(endpoint: Omit<WebhookEndpointRecord, 'createdAt' | 'disabledAt'>) {
    const rows = await this.db.query(
      `INSERT INTO webhook_endpoints (id, url, events, sealed_secret) VALUES ($1, $2, $3, $4)
        RETURNING ${ENDPOINT_COLUMNS}`,
      [endpoint.id, endpoint.url, endpoint.events, endpoint.sealedSecret],
    );
    return parseEndpoint(firstRow(rows));
  }

  async endpoints(): Promise<WebhookEndpointRecord[]> {
    const rows = await this.db.query(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY created_at, id`,
    );
    return rows.map((row) => parseEndpoint(row as Row));
  }

  async endpoint(id: string): Promise<WebhookEndpointRecord | null> {
    if (!UUID.test(id)) return null;
    const rows = await this.db.query(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1`,
      [id],
    );
    return rows.length === 0 ? null : parseEndpoint(firstRow(rows));
  }

  /** Removes the endpoint and its deliveries; false when there was no such endpoint. */
  async deleteEndpoint(id: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    return integer(firstRow(await this.db.query(DELETE, [id, id])), 'n') > 0;
  }

  /** After a 410: nothing more is sent to it, its pending deliveries fail. */
  async disableEndpoint(id: string): Promise<void> {
    await this.db.query(DISABLE, [id, id]);
  }

  async attempts(endpointId: string, limit: number): Promise<AttemptRecord[]> {
    const rows = await this.db.query(ATTEMPTS, [endpointId, limit]);
    return rows.map((value) => {
      const row = value as Row;
      return {
        deliveryId: integer(row, 'delivery_id'),
        type: text(row, 'type'),
        attemptedAt: timestamp(row, 'attempted_at'),
        status: nullable(row, 'status', integer),
        error: nullable(row, 'error', text),
        nextAttemptAt: nullable(row, 'next_attempt_at', timestamp),
      };
    });
  }

  /** Claims up to `limit` due deliveries for `leaseMs`; each claim starts an attempt. */
  async claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows = await this.db.query(CLAIM, [limit, leaseMs], {
      prepareAs: 'ticketmain_claim_deliveries',
    });
    return rows.map((value) => parseClaimed(value as Row));
  }

  /** Writes the attempts' results, all in one statement. */
  async record(results: readonly DeliveryResult[]): Promise<void> {
    if (results.length === 0) return;
    const json = results.map((r) => ({
      id: r.id,
      attempt: r.attempt,
      state: r.state,
      status: r.status,
      error: r.error,
      retry_ms: r.retryInMs,
    }));
    await this.db.query(RECORD, [JSON.stringify(json)], {
      prepareAs: 'ticketmain_record_deliveries',
    });
  }

  /**
   * Marks the event sold out if every seat has a live ticket and it was not marked yet, with its
   * event.sold_out in the same statement; true when this call marked it.
   */
  async markSoldOut(eventId: string): Promise<boolean> {
    return integer(firstRow(await this.db.query(SOLD_OUT, [eventId])), 'n') > 0;
  }

  /** The event's waiting room opened at `opensAt`: queue.opened, once per opening time. */
  async markQueueOpened(eventId: string, opensAt: Date): Promise<boolean> {
    const rows = await this.db.query(QUEUE_OPENED, [eventId, opensAt.toISOString()]);
    return integer(firstRow(rows), 'n') > 0;
  }

  /** Seats are available again: the next selling out is reported anew. */
  async clearSoldOut(eventId: string): Promise<void> {
    await this.db.query('DELETE FROM events_sold_out WHERE event_id = $1', [eventId]);
  }

  /** Drops finished deliveries older than `retentionMs`, and the outbox rows they leave alone. */
  async prune(retentionMs: number): Promise<void> {
    await this.db.query(PRUNE, [retentionMs]);
  }
}

function parseEndpoint(row: Row): WebhookEndpointRecord {
  const events = row.events;
  if (!Array.isArray(events) || !events.every((e): e is string => typeof e === 'string')) {
    throw new Error('ledger row: unexpected events');
  }
  return {
    id: text(row, 'id'),
    url: text(row, 'url'),
    events,
    sealedSecret: text(row, 'sealed_secret'),
    createdAt: timestamp(row, 'created_at'),
    disabledAt: nullable(row, 'disabled_at', timestamp),
  };
}

function parseClaimed(row: Row): ClaimedDelivery {
  const data = row.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new Error('ledger row: unexpected outbox data');
  }
  const url = nullable(row, 'url', text);
  return {
    id: integer(row, 'id'),
    attempt: integer(row, 'attempts'),
    target: text(row, 'target'),
    outboxId: integer(row, 'outbox_id'),
    type: text(row, 'type'),
    data: data as Record<string, unknown>,
    occurredAt: timestamp(row, 'created_at'),
    endpoint:
      url === null
        ? null
        : {
            url,
            sealedSecret: text(row, 'sealed_secret'),
            disabled: nullable(row, 'disabled_at', timestamp) !== null,
          },
  };
}
