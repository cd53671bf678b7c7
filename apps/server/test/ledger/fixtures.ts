// Shared by the ledger suites: both engines, a small venue, orders and counts.
import { randomBytes } from 'node:crypto';
import { DEFAULT_RULES, type LayoutSection, type VenueLayout } from '@ticketmain/protocol';
import { createPgDb, createPgliteDb, type Db } from '../../src/ledger/db.js';
import type { EventRecord, InsertOrderOutcome, NewOrder } from '../../src/ledger/types.js';

export const DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Opened {
  db: Db;
  dispose(): Promise<void>;
}

export interface Engine {
  name: string;
  open(): Promise<Opened>;
}

/** A Postgres pool on a schema of its own, dropped with everything in it on dispose. */
export async function openPostgres(
  schema = `t_${randomBytes(6).toString('hex')}`,
): Promise<Opened> {
  const admin = createPgDb({ connectionString: DATABASE_URL });
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const db = createPgDb({ connectionString: DATABASE_URL, schema, statementTimeoutMs: 10_000 });
  const dispose = async (): Promise<void> => {
    await db.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
  };
  return { db, dispose };
}

export async function openPglite(): Promise<Opened> {
  const db = await createPgliteDb({});
  return { db, dispose: () => db.close() };
}

export const engines: Engine[] = [
  { name: 'PostgreSQL', open: () => openPostgres() },
  { name: 'PGlite', open: openPglite },
];

export const SEATS = Array.from({ length: 10 }, (_, i) => `S${String(i).padStart(2, '0')}`);
export const seat = (i: number): string => SEATS[i % SEATS.length] ?? 'S00';
export const VIP_SEATS = ['V1', 'V2'];
export const PRICES: Record<string, number> = { main: 2_500, vip: 9_000 };

export const venue: VenueLayout = {
  name: 'Test Hall',
  stage: { x: 0, y: 0, width: 100, height: 10, label: 'Stage' },
  sections: [
    { id: 'main', name: 'Main', price: 2_500, rows: [{ label: 'A', seats: layoutSeats(SEATS) }] },
    { id: 'vip', name: 'VIP', price: 9_000, rows: [{ label: 'V', seats: layoutSeats(VIP_SEATS) }] },
  ],
};

export function layoutSeats(ids: string[]): LayoutSection['rows'][number]['seats'] {
  return ids.map((id, i) => ({ id, number: i + 1, x: i * 10, y: 50 }));
}

export function eventRecord(id: string, startsAt = '2030-06-01T19:30:00.000Z'): EventRecord {
  return {
    id,
    name: `Concert ${id}`,
    venue,
    startsAt: new Date(startsAt),
    currency: 'EUR',
    seatCount: 12,
    rules: DEFAULT_RULES,
    version: 1,
  };
}

/** Sessions are named per event, so that tests do not share idempotency keys. */
export const sessionOf = (eventId: string, name: string): string => `${eventId}/${name}`;

export function newOrder(
  eventId: string,
  session: string,
  key: string,
  seatIds: string[],
): NewOrder {
  const tickets = seatIds.map((seatId) => {
    const sectionId = VIP_SEATS.includes(seatId) ? 'vip' : 'main';
    return { seatId, sectionId, price: PRICES[sectionId] ?? 0 };
  });
  const sessionId = sessionOf(eventId, session);
  return { eventId, sessionId, idempotencyKey: key, tickets, currency: 'EUR', signingKid: 'kid-1' };
}

export async function count(db: Db, sql: string, params: unknown[]): Promise<number> {
  const [row] = await db.query<{ n: unknown }>(sql, params);
  return Number(row?.n);
}

export function orderOf(outcome: InsertOrderOutcome) {
  if (!outcome.ok) throw new Error(`expected an order, got ${outcome.reason}`);
  return outcome.order;
}

let eventSeq = 0;
export const freshEventId = (): string => `ev-${++eventSeq}-${randomBytes(3).toString('hex')}`;
