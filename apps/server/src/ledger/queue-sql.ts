// The waiting room's durable copy over SQL (migration 0006): settings and the draw written
// through, entries and admissions in batches whose merges commute, so that batches of several
// replicas may land in any order: a number once given stays, an admission only grows.
import type { Db } from './db.js';
import { asRow, integer, nullable, parseTextColumn, text, type Row } from './rows.js';

export interface QueueRow {
  eventId: string;
  opensAt: number;
  salesStartAt: number;
  admitPerMinute: number;
  admissionSeconds: number;
  powBits: number;
  paused: boolean;
  sealedSeed: string;
  seedCommitment: string;
  drawn: boolean;
  /** The ticket ids the draw numbered 1..n, the pre-queue's first. */
  drawnOrder: string[];
  prequeueCount: number;
  servedThrough: number;
  lastNumber: number;
  arrivals: number;
  soldOut: boolean;
}

export interface EntryRow {
  sessionId: string;
  ticketId: string;
  /** Null when only the entry's admission was recorded. */
  arrival: number | null;
  prequeue: boolean | null;
  number: number | null;
  admittedUntil: number | null;
}

/** One write of the write-behind: entries of one event and what its queue reached. */
export interface QueueChange {
  eventId: string;
  entries: EntryRow[];
  servedThrough?: number;
  lastNumber?: number;
  arrivals?: number;
  soldOut?: boolean;
}

export type NewQueueRow = Pick<
  QueueRow,
  | 'eventId'
  | 'opensAt'
  | 'salesStartAt'
  | 'admitPerMinute'
  | 'admissionSeconds'
  | 'powBits'
  | 'sealedSeed'
  | 'seedCommitment'
>;

/** The durable copy of the queues (queue/journal.ts writes and reads it). */
export interface QueueLedger {
  /** The queue's settings and seed, as its store now holds them (created or replaced). */
  upsertQueue(row: NewQueueRow): Promise<void>;
  /** The queue started again (a demo's reset): its entries and counters gone, `row` its settings. */
  replaceQueue(row: NewQueueRow): Promise<void>;
  patchQueue(eventId: string, admitPerMinute: number, paused: boolean): Promise<void>;
  recordDraw(
    eventId: string,
    order: string[],
    prequeueCount: number,
    lastNumber: number,
  ): Promise<void>;
  writeChanges(changes: QueueChange[]): Promise<void>;
  queuedEventIds(): Promise<string[]>;
  load(eventId: string): Promise<{ queue: QueueRow; entries: EntryRow[] } | null>;
}

const QUEUE_COLUMNS = `event_id, opens_at, sales_start_at, admit_per_minute, admission_seconds,
  pow_bits, paused, sealed_seed, seed_commitment, drawn, drawn_order, prequeue_count,
  served_through, last_number, arrivals, sold_out`;

// The seed is the store's own (creation or not): the store's answer is the truth it mirrors.
const UPSERT_QUEUE = `INSERT INTO queues (event_id, opens_at, sales_start_at, admit_per_minute,
    admission_seconds, pow_bits, sealed_seed, seed_commitment)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (event_id) DO UPDATE SET opens_at = excluded.opens_at,
    sales_start_at = excluded.sales_start_at, admit_per_minute = excluded.admit_per_minute,
    admission_seconds = excluded.admission_seconds, pow_bits = excluded.pow_bits,
    sealed_seed = excluded.sealed_seed, seed_commitment = excluded.seed_commitment`;

// Merged per row: the same ticket keeps the number it had and the later admission; another
// ticket for the session (it joined again after its entry was lost) replaces the entry.
const UPSERT_ENTRIES = `INSERT INTO queue_entries AS q (event_id, session_id, ticket_id, arrival,
    prequeue, number, admitted_until)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::boolean[],
    $6::integer[], $7::bigint[])
  ON CONFLICT (event_id, session_id) DO UPDATE SET
    ticket_id = excluded.ticket_id,
    arrival = CASE WHEN q.ticket_id = excluded.ticket_id
      THEN coalesce(q.arrival, excluded.arrival) ELSE excluded.arrival END,
    prequeue = CASE WHEN q.ticket_id = excluded.ticket_id
      THEN coalesce(q.prequeue, excluded.prequeue) ELSE excluded.prequeue END,
    number = CASE WHEN q.ticket_id = excluded.ticket_id
      THEN coalesce(q.number, excluded.number) ELSE excluded.number END,
    admitted_until = CASE WHEN q.ticket_id = excluded.ticket_id
      THEN greatest(q.admitted_until, excluded.admitted_until) ELSE excluded.admitted_until END`;

// Counters only go up (greatest skips nulls); soldOut is the latest tick's word.
const ADVANCE_QUEUES = `UPDATE queues AS q SET
    served_through = greatest(q.served_through, u.served_through),
    last_number = greatest(q.last_number, u.last_number),
    arrivals = greatest(q.arrivals, u.arrivals),
    sold_out = coalesce(u.sold_out, q.sold_out)
  FROM unnest($1::text[], $2::integer[], $3::integer[], $4::integer[], $5::boolean[])
    AS u (event_id, served_through, last_number, arrivals, sold_out)
  WHERE q.event_id = u.event_id`;

export class QueueSql implements QueueLedger {
  constructor(private readonly db: Db) {}

  async upsertQueue(row: NewQueueRow): Promise<void> {
    await this.db.query(UPSERT_QUEUE, [
      row.eventId,
      row.opensAt,
      row.salesStartAt,
      row.admitPerMinute,
      row.admissionSeconds,
      row.powBits,
      row.sealedSeed,
      row.seedCommitment,
    ]);
  }

  async replaceQueue(row: NewQueueRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM queue_entries WHERE event_id = $1', [row.eventId]);
      await tx.query('DELETE FROM queues WHERE event_id = $1', [row.eventId]);
      await tx.query(UPSERT_QUEUE, [
        row.eventId,
        row.opensAt,
        row.salesStartAt,
        row.admitPerMinute,
        row.admissionSeconds,
        row.powBits,
        row.sealedSeed,
        row.seedCommitment,
      ]);
    });
  }

  async patchQueue(eventId: string, admitPerMinute: number, paused: boolean): Promise<void> {
    await this.db.query(
      'UPDATE queues SET admit_per_minute = $2, paused = $3 WHERE event_id = $1',
      [eventId, admitPerMinute, paused],
    );
  }

  /** The draw, once: a second call (another replica's) changes nothing. */
  async recordDraw(
    eventId: string,
    order: string[],
    prequeueCount: number,
    lastNumber: number,
  ): Promise<void> {
    await this.db.query(
      `UPDATE queues SET drawn = true, drawn_order = $2::text[], prequeue_count = $3,
        last_number = greatest(last_number, $4) WHERE event_id = $1 AND NOT drawn`,
      [eventId, order, prequeueCount, lastNumber],
    );
  }

  /** One transaction for a batch of changes, already merged per entry (mergeChanges). */
  async writeChanges(changes: QueueChange[]): Promise<void> {
    const entries = changes.flatMap((c) => c.entries.map((e) => ({ eventId: c.eventId, ...e })));
    await this.db.transaction(async (tx) => {
      if (entries.length > 0) {
        await tx.query(UPSERT_ENTRIES, [
          entries.map((e) => e.eventId),
          entries.map((e) => e.sessionId),
          entries.map((e) => e.ticketId),
          entries.map((e) => e.arrival),
          entries.map((e) => e.prequeue),
          entries.map((e) => e.number),
          entries.map((e) => e.admittedUntil),
        ]);
      }
      await tx.query(ADVANCE_QUEUES, [
        changes.map((c) => c.eventId),
        changes.map((c) => c.servedThrough ?? null),
        changes.map((c) => c.lastNumber ?? null),
        changes.map((c) => c.arrivals ?? null),
        changes.map((c) => c.soldOut ?? null),
      ]);
    });
  }

  /** Event ids that have a queue. */
  async queuedEventIds(): Promise<string[]> {
    return parseTextColumn(await this.db.query('SELECT event_id FROM queues'), 'event_id');
  }

  /** The queue and its entries, read in one snapshot. */
  async load(eventId: string): Promise<{ queue: QueueRow; entries: EntryRow[] } | null> {
    return this.db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const queues = await tx.query(`SELECT ${QUEUE_COLUMNS} FROM queues WHERE event_id = $1`, [
        eventId,
      ]);
      if (queues.length === 0) return null;
      const rows = await tx.query(
        `SELECT session_id, ticket_id, arrival, prequeue, number, admitted_until
          FROM queue_entries WHERE event_id = $1`,
        [eventId],
      );
      return { queue: parseQueueRow(queues[0]), entries: rows.map(parseEntryRow) };
    });
  }
}

/**
 * Changes merged into one per event, entries into one per session (a statement may not touch a
 * row twice), with the same rules as the SQL: later facts of the same ticket add to it.
 */
export function mergeChanges(changes: QueueChange[]): QueueChange[] {
  const byEvent = new Map<string, { change: QueueChange; entries: Map<string, EntryRow> }>();
  for (const change of changes) {
    let merged = byEvent.get(change.eventId);
    if (merged === undefined) {
      merged = { change: { eventId: change.eventId, entries: [] }, entries: new Map() };
      byEvent.set(change.eventId, merged);
    }
    const into = merged.change;
    into.servedThrough = max(into.servedThrough, change.servedThrough);
    into.lastNumber = max(into.lastNumber, change.lastNumber);
    into.arrivals = max(into.arrivals, change.arrivals);
    if (change.soldOut !== undefined) into.soldOut = change.soldOut;
    for (const entry of change.entries) {
      const known = merged.entries.get(entry.sessionId);
      merged.entries.set(entry.sessionId, known === undefined ? entry : mergeEntry(known, entry));
    }
  }
  return [...byEvent.values()].map(({ change, entries }) => ({
    ...change,
    entries: [...entries.values()],
  }));
}

function mergeEntry(known: EntryRow, later: EntryRow): EntryRow {
  if (known.ticketId !== later.ticketId) return later;
  return {
    ...known,
    arrival: known.arrival ?? later.arrival,
    prequeue: known.prequeue ?? later.prequeue,
    number: known.number ?? later.number,
    admittedUntil: max(known.admittedUntil ?? undefined, later.admittedUntil ?? undefined) ?? null,
  };
}

function max(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

function bool(row: Row, key: string): boolean {
  const value = row[key];
  if (typeof value !== 'boolean') throw new Error(`ledger row: unexpected ${key}`);
  return value;
}

function textArray(row: Row, key: string): string[] {
  const value = row[key];
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw new Error(`ledger row: unexpected ${key}`);
  }
  return value;
}

function parseQueueRow(value: unknown): QueueRow {
  const row = asRow(value);
  return {
    eventId: text(row, 'event_id'),
    opensAt: integer(row, 'opens_at'),
    salesStartAt: integer(row, 'sales_start_at'),
    admitPerMinute: integer(row, 'admit_per_minute'),
    admissionSeconds: integer(row, 'admission_seconds'),
    powBits: integer(row, 'pow_bits'),
    paused: bool(row, 'paused'),
    sealedSeed: text(row, 'sealed_seed'),
    seedCommitment: text(row, 'seed_commitment'),
    drawn: bool(row, 'drawn'),
    drawnOrder: textArray(row, 'drawn_order'),
    prequeueCount: integer(row, 'prequeue_count'),
    servedThrough: integer(row, 'served_through'),
    lastNumber: integer(row, 'last_number'),
    arrivals: integer(row, 'arrivals'),
    soldOut: bool(row, 'sold_out'),
  };
}

function parseEntryRow(value: unknown): EntryRow {
  const row = asRow(value);
  return {
    sessionId: text(row, 'session_id'),
    ticketId: text(row, 'ticket_id'),
    arrival: nullable(row, 'arrival', integer),
    prequeue: nullable(row, 'prequeue', bool),
    number: nullable(row, 'number', integer),
    admittedUntil: nullable(row, 'admitted_until', integer),
  };
}
