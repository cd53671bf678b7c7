// The waiting list over SQL (migration 0010): entries in order of joining. Seats are handed out
// under the event's advisory lock (one hand-out of an event at a time, whichever replica), and
// offers that ended are claimed with FOR UPDATE SKIP LOCKED, so replicas take different ones.
import type { Db } from './db.js';
import { asRow, integer, nullable, text, type Row } from './rows.js';

export type WaitlistState = 'waiting' | 'offered' | 'purchased' | 'expired';

export interface WaitlistRow {
  id: number;
  eventId: string;
  sessionId: string;
  quantity: number;
  /** Null: any section. */
  sectionIds: string[] | null;
  status: WaitlistState;
  /** While offered: the seats held for the session. */
  seatIds: string[];
  /** While offered: when the offer passes on (epoch ms). */
  offerEndsAt: number | null;
}

const COLUMNS = 'id, event_id, session_id, quantity, section_ids, status, seat_ids, offer_ends_at';

function texts(row: Row, key: string): string[] {
  const value = row[key];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new Error(`waitlist row: ${key} is not a text array`);
  }
  return value;
}

function parse(value: unknown): WaitlistRow {
  const row = asRow(value);
  return {
    id: integer(row, 'id'),
    eventId: text(row, 'event_id'),
    sessionId: text(row, 'session_id'),
    quantity: integer(row, 'quantity'),
    sectionIds: nullable(row, 'section_ids', texts),
    status: text(row, 'status') as WaitlistState,
    seatIds: texts(row, 'seat_ids'),
    offerEndsAt: nullable(row, 'offer_ends_at', integer),
  };
}

export class WaitlistSql {
  constructor(private readonly db: Db) {}

  /** Runs fn in one transaction, with a WaitlistSql bound to it. */
  transaction<T>(fn: (tx: WaitlistSql) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new WaitlistSql(tx)));
  }

  /** Adds the session's entry, or leaves the one it has: `created` tells which. */
  async join(
    eventId: string,
    sessionId: string,
    quantity: number,
    sectionIds: string[] | null,
  ): Promise<{ created: boolean; entry: WaitlistRow }> {
    const inserted = await this.db.query(
      `INSERT INTO waitlist_entries (event_id, session_id, quantity, section_ids)
       VALUES ($1, $2, $3, $4) ON CONFLICT (event_id, session_id) DO NOTHING
       RETURNING ${COLUMNS}`,
      [eventId, sessionId, quantity, sectionIds],
    );
    if (inserted.length > 0) return { created: true, entry: parse(inserted[0]) };
    const entry = await this.entryOf(eventId, sessionId);
    if (entry === null) throw new Error('waitlist entry vanished after a conflict');
    return { created: false, entry };
  }

  async entryOf(eventId: string, sessionId: string): Promise<WaitlistRow | null> {
    const rows = await this.db.query(
      `SELECT ${COLUMNS} FROM waitlist_entries WHERE event_id = $1 AND session_id = $2`,
      [eventId, sessionId],
    );
    return rows.length === 0 ? null : parse(rows[0]);
  }

  /** The entry's place among those still waiting (1 = next). */
  async positionOf(entry: WaitlistRow): Promise<number> {
    const rows = await this.db.query(
      `SELECT count(*)::int AS ahead FROM waitlist_entries
       WHERE event_id = $1 AND status = 'waiting' AND id < $2`,
      [entry.eventId, entry.id],
    );
    return integer(asRow(rows[0]), 'ahead') + 1;
  }

  /**
   * Until the transaction ends, no other hand-out of the event's seats (in a transaction too)
   * runs: two cancellations at once each see every waiting entry, in order, rather than one
   * skipping the entries the other has locked and freeing its seats while people wait.
   */
  async lockEvent(eventId: string): Promise<void> {
    // Keyed by schema too, as migrate.ts's lock: separate schemas (tests) never wait for each other.
    await this.db.query(
      `SELECT pg_advisory_xact_lock(
         hashtextextended(concat('ticketmain.waitlist.', current_schema(), '.', $1::text), 0))`,
      [eventId],
    );
  }

  /** The events someone waits for (any replica's job looks at each). */
  async eventsWaiting(limit: number): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT DISTINCT event_id FROM waitlist_entries WHERE status = 'waiting' LIMIT $1`,
      [limit],
    );
    return rows.map((row) => text(asRow(row), 'event_id'));
  }

  /** The first waiting entries of the event, locked (call lockEvent first). */
  async claimWaiting(eventId: string, limit: number): Promise<WaitlistRow[]> {
    const rows = await this.db.query(
      `SELECT ${COLUMNS} FROM waitlist_entries WHERE event_id = $1 AND status = 'waiting'
       ORDER BY id LIMIT $2 FOR UPDATE`,
      [eventId, limit],
    );
    return rows.map(parse);
  }

  /** Offers whose time is up (any event), locked; those another replica holds are skipped. */
  async claimDueOffers(now: number, limit: number): Promise<WaitlistRow[]> {
    const rows = await this.db.query(
      `SELECT ${COLUMNS} FROM waitlist_entries WHERE status = 'offered' AND offer_ends_at <= $1
       ORDER BY offer_ends_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map(parse);
  }

  async markOffered(id: number, seatIds: string[], endsAt: number): Promise<void> {
    await this.db.query(
      `UPDATE waitlist_entries SET status = 'offered', seat_ids = $2, offer_ends_at = $3
       WHERE id = $1`,
      [id, seatIds, endsAt],
    );
  }

  async markEnded(id: number, status: 'purchased' | 'expired'): Promise<void> {
    await this.db.query(`UPDATE waitlist_entries SET status = $2 WHERE id = $1`, [id, status]);
  }

  /** How many of these seats the session has a live ticket for (its offer was bought). */
  async boughtBy(eventId: string, sessionId: string, seatIds: string[]): Promise<number> {
    const rows = await this.db.query(
      `SELECT count(*)::int AS bought FROM tickets t JOIN orders o ON o.id = t.order_id
       WHERE t.event_id = $1 AND t.seat_id = ANY($2::text[]) AND t.status = 'live'
         AND o.session_id = $3`,
      [eventId, seatIds, sessionId],
    );
    return integer(asRow(rows[0]), 'bought');
  }
}
