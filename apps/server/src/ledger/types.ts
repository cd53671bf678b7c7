// The ledger contract: events, orders and tickets, the durable truth of what was sold.
// One implementation over SQL; PostgreSQL (pg) in production, PGlite in embedded mode.
import type { EventRules, VenueLayout } from '@ticketmain/protocol';

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
  rules: EventRules;
  /** 1 on creation, one more with each change of the event's rules. */
  version: number;
}

/** An event's id and version, cheap enough to poll. */
export interface EventVersion {
  id: string;
  version: number;
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

export interface Ledger {
  /** Runs the versioned migrations that have not run yet. */
  migrate(): Promise<void>;
  createEvent(event: EventRecord): Promise<void>;
  getEvent(eventId: string): Promise<EventRecord | null>;
  listEvents(): Promise<EventRecord[]>;
  /** Ids only: cheap enough to poll (layouts can be megabytes). */
  listEventIds(): Promise<string[]>;
  /** Every event's version, read from the primary (a replica may lag behind a change). */
  eventVersions(): Promise<EventVersion[]>;
  /**
   * Changes the rules given (the others keep their value) and takes the next version; null when
   * there is no such event.
   */
  updateRules(eventId: string, changes: Partial<EventRules>): Promise<EventRecord | null>;
  /** Sold seat ids of an event. */
  soldSeats(eventId: string): Promise<string[]>;
  /** The event's live tickets: each sold seat with the session that bought it. */
  sales(eventId: string): Promise<SoldSeat[]>;
  soldCount(eventId: string): Promise<number>;
  /** Writes the order and its tickets in one transaction: all of it or nothing. */
  insertOrder(order: NewOrder): Promise<InsertOrderOutcome>;
  findOrderByKey(sessionId: string, idempotencyKey: string): Promise<OrderRecord | null>;
  getOrder(orderId: string): Promise<OrderRecord | null>;
  /** Deletes the event's orders and tickets (admin reset). */
  resetEvent(eventId: string): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
