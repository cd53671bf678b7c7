// The ledger contract: events, orders and tickets, the durable truth of what was sold.
// One implementation over SQL; PostgreSQL (pg) in production, PGlite in embedded mode.
import type { VenueLayout } from '@ticketmain/protocol';

/** A sold seat and its buyer. */
export interface SoldSeat {
  seatId: string;
  sessionId: string;
}

export interface EventRecord {
  id: string;
  name: string;
  venue: VenueLayout;
  startsAt: Date;
  currency: string;
  seatCount: number;
}

export interface TicketRecord {
  seatId: string;
  sectionId: string;
  /** Cents. */
  price: number;
}

export interface OrderRecord {
  id: string;
  eventId: string;
  sessionId: string;
  idempotencyKey: string;
  tickets: TicketRecord[];
  /** Cents. */
  total: number;
  currency: string;
  createdAt: Date;
}

export interface NewOrder {
  eventId: string;
  sessionId: string;
  idempotencyKey: string;
  tickets: TicketRecord[];
  currency: string;
}

export type InsertOrderOutcome =
  | { ok: true; order: OrderRecord }
  /** Another order of this session already uses the idempotency key. */
  | { ok: false; reason: 'KEY_EXISTS' }
  /** A seat is already sold (the tickets' unique key refused it). */
  | { ok: false; reason: 'SEAT_SOLD'; seatIds: string[] };

/** Tickets sold in one section and what they brought in. */
export interface SectionSales {
  sectionId: string;
  sold: number;
  /** Cents. */
  revenue: number;
}

/** Orders placed in one minute. */
export interface MinuteSales {
  minute: Date;
  orders: number;
  tickets: number;
  /** Cents. */
  revenue: number;
}

export interface Ledger {
  /** Runs the versioned migrations that have not run yet. */
  migrate(): Promise<void>;
  createEvent(event: EventRecord): Promise<void>;
  getEvent(eventId: string): Promise<EventRecord | null>;
  listEvents(): Promise<EventRecord[]>;
  /** Ids only: cheap enough to poll (layouts can be megabytes). */
  listEventIds(): Promise<string[]>;
  /** Sold seat ids of an event. */
  soldSeats(eventId: string): Promise<string[]>;
  /** The event's live tickets: each sold seat with the session that bought it. */
  sales(eventId: string): Promise<SoldSeat[]>;
  soldCount(eventId: string): Promise<number>;
  /** Tickets and revenue per section (sections without a sale left out). */
  salesBySection(eventId: string): Promise<SectionSales[]>;
  /** Orders, tickets and revenue per minute from `since` on, oldest first (empty minutes left out). */
  salesByMinute(eventId: string, since: Date): Promise<MinuteSales[]>;
  /** Writes the order and its tickets in one transaction: all of it or nothing. */
  insertOrder(order: NewOrder): Promise<InsertOrderOutcome>;
  findOrderByKey(sessionId: string, idempotencyKey: string): Promise<OrderRecord | null>;
  getOrder(orderId: string): Promise<OrderRecord | null>;
  /** Deletes the event's orders and tickets (admin reset). */
  resetEvent(eventId: string): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
