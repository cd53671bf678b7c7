// The ledger's ticket part over SQL: signing keys, scanner tokens, check-in and revocations.
// Check-in is decided by one conditional UPDATE, so two gates can never both admit a ticket.
import type { Db } from './db.js';
import { FAN_OUT_CTES, isoTime } from './outbox.js';
import { firstRow, integer, nullable, parseTextColumn, text, timestamp, type Row } from './rows.js';
import type {
  CheckInOutcome,
  CheckInRequest,
  Revocations,
  ScannedTicket,
  StoredTicketKey,
  TicketLedger,
} from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const TICKET_COLUMNS = 'ticket_id, seat_id, section_id, status, checked_in_at, checkin_nonce';

// The seat's primary key finds the row; the ticket id makes sure it is this ticket of the seat.
// ticket.checked_in goes to the outbox in the same statement: reported if and only if admitted.
const CHECK_IN = `WITH checked AS (
    UPDATE tickets SET checked_in_at = now(), checkin_nonce = $4
    WHERE event_id = $1 AND seat_id = $2 AND ticket_id = $3
      AND status = 'live' AND checked_in_at IS NULL
    RETURNING ${TICKET_COLUMNS}, event_id, order_id
  ), outbox_rows AS (
    SELECT 'ticket.checked_in'::text AS type, order_id, event_id,
      jsonb_build_object('ticketId', ticket_id, 'eventId', event_id, 'orderId', order_id,
        'seatId', seat_id, 'sectionId', section_id,
        'checkedInAt', ${isoTime('checked_in_at')}) AS data
    FROM checked
  ), ${FAN_OUT_CTES}
  SELECT ${TICKET_COLUMNS} FROM checked`;

const SCANNED = `SELECT ${TICKET_COLUMNS} FROM tickets
  WHERE event_id = $1 AND seat_id = $2 AND ticket_id = $3`;

// asOf lags the clock by REVOCATION_OVERLAP: a cancellation's cancelled_at is its transaction's
// start, so one that commits after this read may carry an earlier time. The next call, from
// asOf, asks again for that margin (answers overlap: a ticket id may come twice), far longer
// than the server's transactions live (by default a 5 s statement timeout, 10 s idle).
const REVOCATION_OVERLAP = "interval '10 minutes'";
const REVOCATIONS = `SELECT now() - ${REVOCATION_OVERLAP} AS as_of,
    coalesce(array_agg(ticket_id::text ORDER BY cancelled_at, ticket_id)
      FILTER (WHERE ticket_id IS NOT NULL), '{}') AS ticket_ids
  FROM (SELECT 1) AS one LEFT JOIN tickets
    ON event_id = $1 AND status = 'cancelled' AND cancelled_at > $2`;

// One scan of the event's ticket rows (a gate asks every few seconds; an event has at most a
// venue's worth of rows). No row: no such event.
const SUMMARY = `SELECT
    (SELECT count(*) FROM tickets t WHERE t.event_id = e.id AND t.status = 'live'
      AND t.checked_in_at IS NOT NULL) AS checked_in,
    (SELECT count(*) FROM tickets t WHERE t.event_id = e.id AND t.status = 'live') AS expected
  FROM events e WHERE e.id = $1`;

export class TicketSql implements TicketLedger {
  constructor(private readonly db: Db) {}

  async ticketKeys(): Promise<StoredTicketKey[]> {
    const rows = await this.db.query(
      `SELECT generation, kid, public_jwk, sealed_private_key FROM ticket_keys
        ORDER BY generation`,
    );
    return rows.map((value) => parseKeyRow(value as Row));
  }

  async insertTicketKey(key: StoredTicketKey): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO ticket_keys (generation, kid, public_jwk, sealed_private_key)
        VALUES ($1, $2, $3::jsonb, $4) ON CONFLICT DO NOTHING RETURNING kid`,
      [key.generation, key.kid, JSON.stringify(key.publicJwk), key.sealedPrivateKey],
    );
    return rows.length > 0;
  }

  async insertScannerToken(eventId: string, tokenHash: string): Promise<void> {
    await this.db.query('INSERT INTO scanner_tokens (token_hash, event_id) VALUES ($1, $2)', [
      tokenHash,
      eventId,
    ]);
  }

  async scannerTokenEvent(tokenHash: string): Promise<string | null> {
    const rows = await this.db.query('SELECT event_id FROM scanner_tokens WHERE token_hash = $1', [
      tokenHash,
    ]);
    return parseTextColumn(rows, 'event_id')[0] ?? null;
  }

  async checkIn(request: CheckInRequest): Promise<CheckInOutcome> {
    const { eventId, seatId, ticketId, nonce } = request;
    // A signed code names a uuid; anything else names no ticket (and the cast would fail).
    if (!UUID.test(ticketId)) return { admitted: false, ticket: null };
    const updated = await this.db.query(CHECK_IN, [eventId, seatId, ticketId, nonce]);
    if (updated.length > 0) {
      const ticket = parseScanned(firstRow(updated));
      if (ticket.checkedInAt === null) throw new Error('ledger: check-in without a time');
      return { admitted: true, ticket: { ...ticket, checkedInAt: ticket.checkedInAt } };
    }
    const rows = await this.db.query(SCANNED, [eventId, seatId, ticketId]);
    return { admitted: false, ticket: rows.length === 0 ? null : parseScanned(firstRow(rows)) };
  }

  async revocations(eventId: string, since: Date): Promise<Revocations> {
    const row = firstRow(await this.db.query(REVOCATIONS, [eventId, since.toISOString()]));
    const ids = row.ticket_ids;
    if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === 'string')) {
      throw new Error('ledger row: unexpected ticket_ids');
    }
    return { ticketIds: ids, asOf: timestamp(row, 'as_of') };
  }

  async checkInSummary(eventId: string): Promise<{ checkedIn: number; expected: number } | null> {
    const rows = await this.db.query(SUMMARY, [eventId]);
    if (rows.length === 0) return null;
    const row = firstRow(rows);
    return { checkedIn: integer(row, 'checked_in'), expected: integer(row, 'expected') };
  }
}

function parseKeyRow(row: Row): StoredTicketKey {
  const jwk = row.public_jwk;
  if (typeof jwk !== 'object' || jwk === null) throw new Error('ledger row: unexpected jwk');
  return {
    generation: integer(row, 'generation'),
    kid: text(row, 'kid'),
    publicJwk: jwk as Record<string, unknown>,
    sealedPrivateKey: text(row, 'sealed_private_key'),
  };
}

function parseScanned(row: Row): ScannedTicket {
  const status = text(row, 'status');
  if (status !== 'live' && status !== 'cancelled') throw new Error(`ledger row: status ${status}`);
  return {
    ticketId: text(row, 'ticket_id'),
    seatId: text(row, 'seat_id'),
    sectionId: text(row, 'section_id'),
    status,
    checkedInAt: nullable(row, 'checked_in_at', timestamp),
    checkinNonce: nullable(row, 'checkin_nonce', text),
  };
}
