// The ledger's ticket part over SQL: signing keys, scanner tokens, check-in and revocations.
// Check-in is decided by one conditional UPDATE, so two gates can never both admit a ticket.
import type { Db } from './db.js';
import { GroupCommit } from './group-commit.js';
import { FAN_OUT_CTES, isoTime } from './outbox.js';
import {
  asRow,
  firstRow,
  integer,
  nullable,
  parseTextColumn,
  text,
  timestamp,
  type Row,
} from './rows.js';
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
const DEADLOCK = '40P01';

/** Bounds the statement and the wait of a batch's last scan. */
const MAX_BATCH = 128;
/** One batch writing while the next one gathers, as orders do. */
const MAX_IN_FLIGHT = 1;

/** `a.x, a.y` for the columns `x, y`. */
function prefixed(alias: string, columns: string): string {
  return columns
    .split(', ')
    .map((column) => `${alias}.${column}`)
    .join(', ');
}

/** `coalesce(a.x, b.x) AS x, …`: each column from `a` if it has the row, else from `b`. */
function coalesced(first: string, then: string, columns: string): string {
  return columns
    .split(', ')
    .map((column) => `coalesce(${first}.${column}, ${then}.${column}) AS ${column}`)
    .join(', ');
}

// Scans arriving while a batch is written go out together (group commit): ONE statement, so one
// round trip, one plan and one commit for all of them. The conditional UPDATE decides: only a
// live ticket not yet checked in is updated. Two scans of one ticket in a batch: the first
// (ordinality n) is the UPDATE's candidate, the other reads the ticket as the UPDATE left it, so
// it is refused (or, same nonce, answered as a replay). The candidates are sorted by ticket id,
// so concurrent batches (replicas) lock the rows they share in the same order. ticket.checked_in
// goes to the outbox in the same statement: reported if and only if admitted.
// The final SELECT reads the statement's snapshot: a ticket that a concurrent statement checked
// in (or cancelled) after it began still looks live there; checkInMany reads those again.
const CHECK_IN_BATCH = `WITH scans AS (
    SELECT n, event_id, seat_id, ticket_id, nonce
    FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[]) WITH ORDINALITY
      AS s (event_id, seat_id, ticket_id, nonce, n)
  ), candidates AS (
    SELECT DISTINCT ON (ticket_id, event_id, seat_id) n, event_id, seat_id, ticket_id, nonce
    FROM scans ORDER BY ticket_id, event_id, seat_id, n
  ), checked AS (
    UPDATE tickets t SET checked_in_at = now(), checkin_nonce = c.nonce
    FROM candidates c
    WHERE t.ticket_id = c.ticket_id AND t.event_id = c.event_id AND t.seat_id = c.seat_id
      AND t.status = 'live' AND t.checked_in_at IS NULL
    RETURNING c.n, ${prefixed('t', TICKET_COLUMNS)}, t.event_id, t.order_id
  ), outbox_rows AS (
    SELECT 'ticket.checked_in'::text AS type, order_id, event_id,
      jsonb_build_object('ticketId', ticket_id, 'eventId', event_id, 'orderId', order_id,
        'seatId', seat_id, 'sectionId', section_id,
        'checkedInAt', ${isoTime('checked_in_at')}) AS data
    FROM checked
  ), ${FAN_OUT_CTES}
  SELECT s.n, coalesce(c.n = s.n, false) AS admitted,
    ${coalesced('c', 't', TICKET_COLUMNS)}
  FROM scans s
  LEFT JOIN checked c ON c.ticket_id = s.ticket_id AND c.event_id = s.event_id
    AND c.seat_id = s.seat_id
  LEFT JOIN tickets t ON t.ticket_id = s.ticket_id AND t.event_id = s.event_id
    AND t.seat_id = s.seat_id
  ORDER BY s.n`;

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
  private readonly checkIns = new GroupCommit<CheckInRequest, CheckInOutcome>(
    (scans) => this.writeBatch(scans),
    { maxBatch: MAX_BATCH, maxInFlight: MAX_IN_FLIGHT },
  );

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

  /** Decided by the conditional UPDATE, maybe in a batch with other scans (CHECK_IN_BATCH). */
  async checkIn(request: CheckInRequest): Promise<CheckInOutcome> {
    // A signed code names a uuid; anything else names no ticket (and the cast would fail).
    if (!UUID.test(request.ticketId)) return { admitted: false, ticket: null };
    return this.checkIns.submit(request);
  }

  private async writeBatch(
    scans: CheckInRequest[],
  ): Promise<Array<PromiseSettledResult<CheckInOutcome>>> {
    try {
      const outcomes = await this.checkInMany(scans);
      return outcomes.map((value) => ({ status: 'fulfilled', value }));
    } catch (err) {
      // Two replicas' batches locking shared tickets in another order (the sort should prevent
      // it): PostgreSQL aborted this one; each scan again on its own gets its own answer.
      if (scans.length === 1 || !isDeadlock(err)) throw err;
      return Promise.allSettled(scans.map((scan) => this.checkInOne(scan)));
    }
  }

  private async checkInOne(scan: CheckInRequest): Promise<CheckInOutcome> {
    const [outcome] = await this.checkInMany([scan]);
    if (outcome === undefined) throw new Error('ledger: no check-in row');
    return outcome;
  }

  private async checkInMany(scans: CheckInRequest[]): Promise<CheckInOutcome[]> {
    const rows = await this.db.query(
      CHECK_IN_BATCH,
      [
        scans.map((scan) => scan.eventId),
        scans.map((scan) => scan.seatId),
        scans.map((scan) => scan.ticketId),
        scans.map((scan) => scan.nonce),
      ],
      { prepareAs: 'ticketmain_check_in_batch' },
    );
    if (rows.length !== scans.length) throw new Error('ledger: check-in rows do not match scans');
    return Promise.all(
      rows.map(async (value, i): Promise<CheckInOutcome> => {
        const row = asRow(value);
        if (row.admitted === true) {
          const ticket = parseScanned(row);
          if (ticket.checkedInAt === null) throw new Error('ledger: check-in without a time');
          return { admitted: true, ticket: { ...ticket, checkedInAt: ticket.checkedInAt } };
        }
        if (row.ticket_id === null) return { admitted: false, ticket: null };
        const ticket = parseScanned(row);
        // Refused, yet live and not in as of the snapshot: a concurrent statement changed it.
        const stale = ticket.status === 'live' && ticket.checkedInAt === null;
        const scan = scans[i];
        return { admitted: false, ticket: stale && scan ? await this.scanned(scan) : ticket };
      }),
    );
  }

  /** The ticket as it is now (a new statement: what a concurrent one committed is seen). */
  private async scanned(scan: CheckInRequest): Promise<ScannedTicket | null> {
    const { eventId, seatId, ticketId } = scan;
    const rows = await this.db.query(SCANNED, [eventId, seatId, ticketId]);
    return rows.length === 0 ? null : parseScanned(firstRow(rows));
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

function isDeadlock(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === DEADLOCK;
}
