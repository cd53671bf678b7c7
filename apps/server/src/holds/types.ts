// The hold-store contract: seat holds, sales marks and per-event sequence numbers.
// Two implementations: Redis (Lua scripts, for replicas) and in-process (embedded mode, reference model).
import type { SeatStatus } from '@ticketmain/protocol';
import type { LoneSeatCheck } from '../domain/lone-seats.js';

/** One seat change, numbered by the event's sequence. */
export interface SeatChangeRecord {
  seq: number;
  seatId: string;
  status: SeatStatus;
}

/**
 * What a store publishes after each state change of an event, in sequence order.
 * `changes`: contiguous seqs. `replaced`: the event's state was rebuilt or cleared; every
 * subscriber must take a fresh snapshot (the sequence may restart after a state loss).
 */
export type ChangeBatch =
  | { kind: 'changes'; eventId: string; time: number; changes: SeatChangeRecord[] }
  | { kind: 'replaced'; eventId: string; time: number; seq: number };

export interface HeldSeat {
  seatId: string;
  /** Epoch milliseconds by the store's clock. */
  expiresAt: number;
}

export interface StoreSnapshot {
  seq: number;
  /** The state's epoch: see EventPosition. */
  epoch: string;
  held: string[];
  sold: string[];
  /** The asking session's live holds (empty without a session). */
  mine: HeldSeat[];
}

/**
 * Where an event's state stands: its sequence number and its epoch. The epoch is new each time
 * the state is built from the ledger (first use, or after Redis lost it); the sequence may then
 * start again from a low number, so a mirror whose epoch differs is stale whatever its number.
 */
export interface EventPosition {
  seq: number;
  epoch: string;
}

/** Every operation that needs the event's state answers this when the state is missing. */
export interface NotReady {
  ok: false;
  reason: 'NOT_READY';
}

export type HoldOutcome =
  | { ok: true; holds: HeldSeat[] }
  /** `sections`: the GA sections without enough places left, only when there are some. */
  | { ok: false; reason: 'TAKEN'; sold: string[]; held: string[]; sections?: string[] }
  /** Held now + bought before + new seats. */
  | { ok: false; reason: 'HOLD_LIMIT'; wouldHold: number }
  /** The address's live holds + new seats. */
  | { ok: false; reason: 'ADDRESS_LIMIT'; wouldHold: number }
  /** The lone-seat rule: the seats the hold would leave alone. */
  | { ok: false; reason: 'SINGLE_SEAT'; seats: string[] }
  /** The event has a waiting room and the session is not admitted, or no longer. */
  | { ok: false; reason: 'QUEUE_ADMISSION_REQUIRED' }
  | NotReady;

export type ReleaseOutcome =
  | { ok: true }
  /** CHECKOUT_IN_PROGRESS: an order of the owner is being written for the seat (beginCheckout). */
  | { ok: false; reason: 'HOLD_NOT_FOUND' | 'NOT_OWNER' | 'CHECKOUT_IN_PROGRESS' }
  | NotReady;

export type CheckoutOutcome =
  /** `previous`: each seat's expiry before checkout, to put back if the sale fails. */
  | { ok: true; previous: HeldSeat[] }
  | { ok: false; reason: 'SEAT_SOLD' | 'SEAT_NOT_HELD' | 'CHECKOUT_IN_PROGRESS'; seats: string[] }
  | NotReady;

export type ExtendOutcome =
  /** Every live hold of the session, sorted by seat id, with its expiry after the call. */
  | { ok: true; holds: HeldSeat[] }
  /** HOLD_NOT_FOUND: no live hold; ALREADY_EXTENDED: every one outside checkout already was. */
  | { ok: false; reason: 'HOLD_NOT_FOUND' | 'ALREADY_EXTENDED' }
  /** Every live hold of the session is in checkout. */
  | { ok: false; reason: 'CHECKOUT_IN_PROGRESS'; seats: string[] }
  | NotReady;

export type ChangeOutcome = { ok: true; changed: number } | NotReady;

export type SnapshotOutcome = ({ ok: true } & StoreSnapshot) | NotReady;

/** The session's live holds at the event's position `seq` (in the same atomic read). */
export type HoldsOutcome = ({ ok: true; holds: HeldSeat[] } & EventPosition) | NotReady;

/** Places of one general-admission section: place n is the seat id `<sectionId>.<n>`. */
export interface GaRequest {
  sectionId: string;
  quantity: number;
  capacity: number;
}

export interface HoldRequestArgs {
  eventId: string;
  sessionId: string;
  seatIds: string[];
  ttlMs: number;
  /** Seats the session may have: held now plus bought before. */
  maxSeats: number;
  /** The client address the request came from (grouped: see limits/client-address.ts). */
  address?: string;
  /** Seats every session of the address together may hold at once; 0 or absent: no cap. */
  maxPerAddress?: number;
  /**
   * The lone-seat rule: the seats next to the requested ones with their row neighbours
   * (domain/lone-seats.ts, loneSeatChecks). A hold that would leave one of them alone is refused
   * with SINGLE_SEAT. Absent or empty: no such check.
   */
  loneSeatChecks?: LoneSeatCheck[];
  /**
   * GA places to hold besides the seats, one entry per section: the store picks free places from
   * the section's cursor (holdSeats-14.lua), reusing those released, expired or cancelled. The
   * holds list them after the seats. Not enough left in one: TAKEN with `sections`.
   */
  ga?: GaRequest[];
}

/**
 * The waiting room's admission record as the in-process hold store reads it, inside the hold's
 * own step (the Redis hold script reads the queue's keys itself): the in-process queue store.
 */
export interface AdmissionProbe {
  /** True when the event has no queue, or the session's admission lasts past now. */
  admits(eventId: string, sessionId: string): boolean;
}

/**
 * The waiting list's hand-over (docs/design.md, "The waiting list"): seats go from their buyer (a cancellation)
 * or from an offer that ran out straight to the next entry's session, in one atomic step, so
 * that no other buyer can take them in between.
 */
export type HandOverSource = { sold: string } | { held: string } | { free: true };

export interface HandOverArgs {
  eventId: string;
  seatIds: string[];
  /**
   * Where the seats must be: SOLD to this session, HELD by it and not in checkout, or free
   * (AVAILABLE: neither sold nor under a live hold). Seats elsewhere (sold again, released, in
   * checkout, taken) are left alone.
   */
  from: HandOverSource;
  /**
   * The session the seats are held for next, for ttlMs; absent: they become AVAILABLE (free
   * seats then stay as they are).
   */
  to?: string;
  ttlMs: number;
}

/** `seatIds`: the seats that moved, in request order; `expiresAt`: their new hold's expiry. */
export type HandOverOutcome = { ok: true; seatIds: string[]; expiresAt: number } | NotReady;

/** A seat sold to a session: the buyer's sales count towards its limit. */
export interface Sale {
  seatId: string;
  sessionId: string;
}

export interface HoldStore {
  /**
   * All-or-nothing hold. Seats the session already holds keep their expiry; an expired hold
   * counts as free. Conflicts list the seats that are sold and those held by others. While the
   * event has a waiting room, a session not admitted (or no longer) is refused first,
   * QUEUE_ADMISSION_REQUIRED, and nothing changes.
   */
  hold(args: HoldRequestArgs): Promise<HoldOutcome>;
  /** Releases a live hold of this session, unless it is in checkout. */
  release(eventId: string, sessionId: string, seatId: string): Promise<ReleaseOutcome>;
  /**
   * Checkout step 1: every seat must be held by this session, not expired and not in another
   * checkout; their expiry is pushed to at least now + windowMs so that none can lapse while the
   * order is written, and they are in checkout until then (markSold or abortCheckout end it
   * sooner): their owner cannot release them meanwhile. `attempt` names the order (its
   * idempotency key): a call with the attempt of a checkout in progress may take it over (a
   * retry of an order whose outcome was unknown); without one the call is an attempt of its own.
   */
  beginCheckout(
    eventId: string,
    sessionId: string,
    seatIds: string[],
    windowMs: number,
    attempt?: string,
  ): Promise<CheckoutOutcome>;
  /**
   * More time, once per hold: each live hold of the session not yet extended and not in checkout
   * gets `expiresAt = max(expiresAt, now + ttlMs)` and is marked extended until it is dropped.
   * No seat changes, nothing is published. `address`: the request's client address, whose holds
   * keep counting towards its cap while they last.
   */
  extend(
    eventId: string,
    sessionId: string,
    ttlMs: number,
    address?: string,
  ): Promise<ExtendOutcome>;
  /**
   * Checkout fallback: seats still held by this session get their previous expiry back and are
   * no longer in checkout.
   */
  abortCheckout(eventId: string, sessionId: string, previous: HeldSeat[]): Promise<ChangeOutcome>;
  /**
   * Checkout step 3 and reconciler: the seats become SOLD to `buyer`, whoever held them, and
   * count towards the buyer's limit. Idempotent.
   */
  markSold(eventId: string, seatIds: string[], buyer: string): Promise<ChangeOutcome>;
  /**
   * Reconciler and cancellation: SOLD seats among these become AVAILABLE (no live ticket) and
   * no longer count towards their buyer's limit; with `buyer`, only those SOLD to that session.
   * Idempotent.
   */
  unmarkSold(eventId: string, seatIds: string[], buyer?: string): Promise<ChangeOutcome>;
  /**
   * The waiting list: each listed seat found where `from` says becomes HELD by `to` until now +
   * ttlMs (one HELD change each, no AVAILABLE in between), or AVAILABLE without `to`. A seat
   * taken off a sale no longer counts towards its buyer's limit. Published as one batch.
   */
  handOver(args: HandOverArgs): Promise<HandOverOutcome>;
  /** Releases every hold whose expiry has passed (the sweeper). Safe to run from many replicas. */
  expire(eventId: string, limit: number): Promise<ChangeOutcome>;
  /** Seat state of the event at one sequence number, in one round trip. */
  snapshot(eventId: string, sessionId?: string): Promise<SnapshotOutcome>;
  /**
   * The session's live holds alone (the snapshot's `mine`), without the seat lists, with the
   * sequence number and epoch they were read at.
   */
  holdsOf(eventId: string, sessionId: string): Promise<HoldsOutcome>;
  /** The event's sequence number (the last change) and epoch, or null when it is not ready. */
  sequence(eventId: string): Promise<EventPosition | null>;
  /** Number of seats SOLD and HELD (held may include expired holds not yet swept). */
  counts(eventIds: string[]): Promise<Map<string, { sold: number; held: number } | null>>;
  /**
   * Rebuilds the event's state from the ledger's live tickets and marks it ready. Publishes
   * `replaced` when the state had been lost, else a SOLD change for each seat not yet SOLD.
   */
  restore(eventId: string, sales: Sale[]): Promise<void>;
  /** Clears holds and sales of the event (admin reset) and publishes `replaced`. */
  clear(eventId: string): Promise<void>;
  /** Listens to the published change batches of one event; returns the unsubscribe. */
  subscribe(eventId: string, listener: (batch: ChangeBatch) => void): Promise<() => Promise<void>>;
  /** True when the backing service answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
