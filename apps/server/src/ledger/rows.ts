// Parsers from the ledger's SQL rows (unchecked shapes) to typed records: parse, then trust.
// The engines differ: pg returns bigint as a string, PGlite as a number.
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { DEFAULT_RULES, EventRules, VenueLayout } from '@ticketmain/protocol';
import type {
  BuyerDetails,
  EventRecord,
  EventVersion,
  OrderRecord,
  TicketRecord,
} from './types.js';

export type Row = Record<string, unknown>;

const venueLayout = TypeCompiler.Compile(VenueLayout);
const eventRules = TypeCompiler.Compile(EventRules);

export function parseEventRow(value: unknown): EventRecord {
  const row = asRow(value);
  return {
    id: text(row, 'id'),
    name: text(row, 'name'),
    venue: layout(row, 'layout'),
    startsAt: timestamp(row, 'starts_at'),
    currency: text(row, 'currency'),
    seatCount: integer(row, 'seat_count'),
    rules: rules(row, 'rules'),
    version: integer(row, 'version'),
  };
}

export function parseEventVersion(value: unknown): EventVersion {
  const row = asRow(value);
  return { id: text(row, 'id'), version: integer(row, 'version') };
}

/** An order row with its tickets aggregated as a JSON array in column `tickets`. */
export function parseOrderRow(value: unknown): OrderRecord {
  const row = asRow(value);
  const tickets = row.tickets;
  if (!Array.isArray(tickets)) throw rowError('tickets', tickets);
  return {
    id: text(row, 'id'),
    eventId: text(row, 'event_id'),
    sessionId: text(row, 'session_id'),
    idempotencyKey: text(row, 'idempotency_key'),
    tickets: tickets.map(parseTicket),
    total: integer(row, 'total_cents'),
    currency: text(row, 'currency'),
    createdAt: timestamp(row, 'created_at'),
    accessKey: text(row, 'access_key'),
    signingKid: nullable(row, 'signing_kid', text),
    buyer: buyerOf(row),
    cancelledAt: nullable(row, 'cancelled_at', timestamp),
    refund: nullable(row, 'refund_cents', integer),
  };
}

export function buyerOf(row: Row): BuyerDetails | null {
  const name = nullable(row, 'buyer_name', text);
  const email = nullable(row, 'buyer_email', text);
  return name === null || email === null ? null : { name, email };
}

function parseTicket(value: unknown): TicketRecord {
  const row = asRow(value);
  return {
    ticketId: text(row, 'ticketId'),
    seatId: text(row, 'seatId'),
    sectionId: text(row, 'sectionId'),
    price: integer(row, 'price'),
  };
}

/** The string column `key` of every row, e.g. seat ids. */
export function parseTextColumn(rows: unknown[], key: string): string[] {
  return rows.map((value) => text(asRow(value), key));
}

/** The one row a statement returns (a count, a RETURNING clause). */
export function firstRow(rows: unknown[]): Row {
  const [row] = rows;
  if (row === undefined) throw rowError('row', row);
  return asRow(row);
}

export function asRow(value: unknown): Row {
  if (typeof value !== 'object' || value === null) throw rowError('row', value);
  return value as Row;
}

export function text(row: Row, key: string): string {
  const value = row[key];
  if (typeof value !== 'string') throw rowError(key, value);
  return value;
}

export function integer(row: Row, key: string): number {
  const value = row[key];
  const parsed = typeof value === 'string' || typeof value === 'bigint' ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isSafeInteger(parsed)) throw rowError(key, value);
  return parsed;
}

export function timestamp(row: Row, key: string): Date {
  const value = row[key];
  const parsed = typeof value === 'string' ? new Date(value) : value;
  if (!(parsed instanceof Date) || Number.isNaN(parsed.getTime())) throw rowError(key, value);
  return parsed;
}

/** A column that may be null, else parsed by `parse`. */
export function nullable<T>(row: Row, key: string, parse: (row: Row, key: string) => T): T | null {
  return row[key] === null || row[key] === undefined ? null : parse(row, key);
}

function layout(row: Row, key: string): VenueLayout {
  const value = row[key];
  if (!venueLayout.Check(value)) throw rowError(key, 'not a venue layout');
  return value;
}

/** Rules written before a rule existed lack it: its default fills in. */
function rules(row: Row, key: string): EventRules {
  const value = row[key];
  const merged: unknown =
    typeof value === 'object' && value !== null ? { ...DEFAULT_RULES, ...value } : value;
  if (!eventRules.Check(merged)) throw rowError(key, 'not event rules');
  return merged;
}

function rowError(key: string, value: unknown): Error {
  return new Error(`ledger row: unexpected ${key}: ${String(value)}`);
}
