// The ledger contract: events, orders and tickets, the durable truth of what was sold.
// One implementation over SQL; PostgreSQL (pg) in production, PGlite in embedded mode.
import type { EventRules, VenueLayout } from '@ticketmain/protocol';
import type { OrderSearchTerms } from '../domain/order-search.js';
import type { QueueLedger } from './queue-sql.js';
import type { OutboxSql } from './outbox-sql.js';
import type { WaitlistSql } from './waitlist-sql.js';

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

/** A ticket as an order asks for it, before it is written. */
export interface NewTicket {
  seatId: string;
  sectionId: string;
  /** Cents. */
  price: number;
}

export interface TicketRecord extends NewTicket {
  ticketId: string;
}

/** Who bought, as they told at checkout. */
export interface BuyerDetails {
  name: string;
  email: string;
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
  /** The secret of the order's page link. */
  accessKey: string;
  /** The key that signs the order's ticket codes; null: the first key (orders from before). */
  signingKid: string | null;
  buyer: BuyerDetails | null;
  /** When the order was cancelled; null while it stands. */
  cancelledAt: Date | null;
  /** Cents given back by the cancellation; null while the order stands. */
  refund: number | null;
}

/** A cancellation's answer: the order as it now is, and whether this call cancelled it. */
export interface CancelOutcome {
  order: OrderRecord;
  /** False when the order was already cancelled (by an earlier or concurrent call). */
  cancelled: boolean;
}

/** An order as the organiser's search lists it. */
export interface OrderListing {
  id: string;
  eventId: string;
  status: 'CONFIRMED' | 'CANCELLED';
  seatIds: string[];
  /** Cents. */
  total: number;
  currency: string;
  createdAt: Date;
  buyer: BuyerDetails | null;
}

export interface OrderSearch {
  eventId: string;
  terms: OrderSearchTerms;
  limit: number;
}

export interface NewOrder {
  eventId: string;
  sessionId: string;
  idempotencyKey: string;
  tickets: NewTicket[];
  currency: string;
  signingKid: string;
  buyer?: BuyerDetails | undefined;
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

/** A ticket signing key as stored: the private part sealed (tickets/keys.ts). */
export interface StoredTicketKey {
  generation: number;
  kid: string;
  publicJwk: Record<string, unknown>;
  sealedPrivateKey: string;
}

/** A ticket as check-in sees it. */
export interface ScannedTicket {
  ticketId: string;
  seatId: string;
  sectionId: string;
  status: 'live' | 'cancelled';
  checkedInAt: Date | null;
  checkinNonce: string | null;
}

export interface CheckInRequest {
  eventId: string;
  seatId: string;
  ticketId: string;
  nonce: string | null;
}

export type CheckInOutcome =
  /** This call checked the ticket in. */
  | { admitted: true; ticket: ScannedTicket & { checkedInAt: Date } }
  /** Someone else's call did, or the ticket is cancelled: the ticket as it is. */
  | { admitted: false; ticket: ScannedTicket }
  /** No such ticket (an event reset removed it). */
  | { admitted: false; ticket: null };

export interface Revocations {
  ticketIds: string[];
  asOf: Date;
}

/** The ledger's part for tickets after the sale: signing keys, scanner tokens, check-in. */
export interface TicketLedger {
  /** Every signing key, oldest generation first. */
  ticketKeys(): Promise<StoredTicketKey[]>;
  /** Adds a key unless its generation exists already (another replica won): false then. */
  insertTicketKey(key: StoredTicketKey): Promise<boolean>;
  insertScannerToken(eventId: string, tokenHash: string): Promise<void>;
  /** The event a scanner token may check in, or null for an unknown token. */
  scannerTokenEvent(tokenHash: string): Promise<string | null>;
  /** One conditional UPDATE decides: only a live ticket not yet checked in is admitted. */
  checkIn(request: CheckInRequest): Promise<CheckInOutcome>;
  /** Tickets of the event cancelled after `since`, up to `asOf`. */
  revocations(eventId: string, since: Date): Promise<Revocations>;
  /** Live tickets of the event: how many, and how many checked in; null for no such event. */
  checkInSummary(eventId: string): Promise<{ checkedIn: number; expected: number } | null>;
}

export interface Ledger extends TicketLedger {
  /** The waiting rooms' durable copy (queue/journal.ts), on the primary. */
  readonly queues: QueueLedger;
  /** Webhook endpoints and the outbox's deliveries (ledger/outbox.ts writes the outbox). */
  readonly outbox: OutboxSql;
  /** The waiting list of sold-out events (docs/design.md, "The waiting list"). */
  readonly waitlist: WaitlistSql;
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
  /** Sold seat ids of an event (those with a live ticket). */
  soldSeats(eventId: string): Promise<string[]>;
  /** The event's live tickets: each sold seat with the session that bought it. */
  sales(eventId: string): Promise<SoldSeat[]>;
  soldCount(eventId: string): Promise<number>;
  /**
   * Of the seats given, those whose last ticket was cancelled, each with the session that had
   * bought it (the seats of the latest cancellation of each).
   */
  cancelledSales(eventId: string, seatIds: string[]): Promise<SoldSeat[]>;
  /** Tickets and revenue per section (sections without a sale left out). */
  salesBySection(eventId: string): Promise<SectionSales[]>;
  /** Orders, tickets and revenue per minute from `since` on, oldest first (empty minutes left out). */
  salesByMinute(eventId: string, since: Date): Promise<MinuteSales[]>;
  /** Writes the order and its tickets in one transaction: all of it or nothing. */
  insertOrder(order: NewOrder): Promise<InsertOrderOutcome>;
  findOrderByKey(sessionId: string, idempotencyKey: string): Promise<OrderRecord | null>;
  /**
   * Cancels the order and its tickets with `refund` cents given back, in one transaction; an
   * order already cancelled stays as it was. Null when there is no such order.
   */
  cancelOrder(orderId: string, refund: number): Promise<CancelOutcome | null>;
  getOrder(orderId: string): Promise<OrderRecord | null>;
  /** The event's orders that match the terms (all of them without terms), newest first. */
  searchOrders(search: OrderSearch): Promise<OrderListing[]>;
  /** Deletes the event's orders and tickets (admin reset). */
  resetEvent(eventId: string): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
