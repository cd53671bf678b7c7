// The invariant rules as pure functions over what the checker read (invariants.ts): no I/O here,
// so a test can feed them any state.
import type { Order } from '@ticketmain/protocol';

export type InvariantName =
  | 'double-sale'
  | 'order-without-tickets'
  | 'order-total'
  | 'ticket-of-other-event'
  | 'ticket-not-sold-in-store'
  | 'sold-in-store-without-ticket'
  | 'held-and-sold'
  | 'hold-without-expiry'
  | 'expiry-without-hold'
  | 'hold-not-in-session-set'
  | 'acknowledged-order-missing'
  | 'one-owner'
  | 'all-or-nothing'
  | 'lost-hold'
  | 'idempotency'
  | 'view-differs'
  | 'missed-change'
  | 'sold-count'
  /** Best available: one seat in two answers, a pair apart, a seat a hold left alone. */
  | 'double-hold'
  | 'best-not-adjacent'
  | 'lone-seat'
  | 'webhook-delivered'
  /** Check-in: one admission per ticket; resale: every 201 order live or wholly cancelled. */
  | 'one-admission'
  | 'order-live-or-cancelled'
  /** Waiting room: a hold without admission, admission out of order, a line left waiting. */
  | 'held-without-admission'
  | 'admitted-out-of-order'
  | 'queue-not-closed'
  | 'queue-join';

export interface Violation {
  invariant: InvariantName;
  eventId?: string;
  detail: string;
  /** Some of the seats concerned (capped). */
  seats?: string[];
}

/** The hold store's view of one event, read in one MULTI (one consistent instant). */
export interface StoreState {
  ready: boolean;
  seq: number;
  holders: Map<string, string>;
  expiries: Map<string, number>;
  sold: Set<string>;
}

/** The truth a subscriber's view must equal: held seats from the store, sold ones from the ledger. */
export interface Truth {
  eventId: string;
  seq: number;
  held: Set<string>;
  sold: Set<string>;
}

export interface SeatView {
  held: Iterable<string>;
  sold: Iterable<string>;
}

/** An order the server answered 201 for: it must be in the ledger with exactly these seats. */
export interface AcknowledgedOrder extends Pick<Order, 'orderId' | 'eventId'> {
  seatIds: readonly string[];
}

/** A time span (bench clock, ms) within which a session surely owned a seat on the server. */
export interface OwnershipWindow {
  seatId: string;
  owner: string;
  from: number;
  to: number;
}

const SHOWN = 10;

/** Store rules that need no ledger: a seat is held or sold, not both; holds and expiries match. */
export function checkStoreState(eventId: string, state: StoreState): Violation[] {
  const heldAndSold = [...state.holders.keys()].filter((s) => state.sold.has(s));
  const noExpiry = [...state.holders.keys()].filter((s) => !state.expiries.has(s));
  const noHold = [...state.expiries.keys()].filter((s) => !state.holders.has(s));
  return [
    violation('held-and-sold', eventId, 'seats both held and SOLD', heldAndSold),
    violation('hold-without-expiry', eventId, 'held seats without an expiry', noExpiry),
    violation('expiry-without-hold', eventId, 'expiries of seats nobody holds', noHold),
  ].filter((v): v is Violation => v !== null);
}

/** The ledger's sold seats and the store's SOLD marks are the same set (at rest). */
export function compareSold(eventId: string, ledger: Set<string>, store: Set<string>): Violation[] {
  const notMarked = [...ledger].filter((s) => !store.has(s));
  const noTicket = [...store].filter((s) => !ledger.has(s));
  return [
    violation(
      'ticket-not-sold-in-store',
      eventId,
      'tickets whose seat is not SOLD in Redis',
      notMarked,
    ),
    violation(
      'sold-in-store-without-ticket',
      eventId,
      'seats SOLD in Redis without a ticket',
      noTicket,
    ),
  ].filter((v): v is Violation => v !== null);
}

/** A subscriber's final view against the truth: the same held and sold seats. */
export function diffView(view: SeatView, truth: Truth, who = 'view'): Violation[] {
  const held = new Set(view.held);
  const sold = new Set(view.sold);
  const wrong = new Set<string>();
  for (const s of truth.sold) if (!sold.has(s)) wrong.add(s);
  for (const s of sold) if (!truth.sold.has(s)) wrong.add(s);
  for (const s of truth.held) if (!held.has(s)) wrong.add(s);
  for (const s of held) if (!truth.held.has(s)) wrong.add(s);
  const v = violation(
    'view-differs',
    truth.eventId,
    `${who} differs from the truth at seq ${truth.seq}`,
    [...wrong],
  );
  return v === null ? [] : [v];
}

/**
 * Two sessions owned one seat at once if their sure-ownership windows overlap. A window runs
 * from when the bench received a 201 for the hold to when it sent the release: the server held
 * the seat for that session at least that long, so an overlap is a double owner, never a race
 * of the bench's own clock.
 */
export function checkOwnershipWindows(
  eventId: string,
  windows: readonly OwnershipWindow[],
): Violation[] {
  const bySeat = new Map<string, OwnershipWindow[]>();
  for (const w of windows) bySeat.set(w.seatId, [...(bySeat.get(w.seatId) ?? []), w]);
  const doubled: string[] = [];
  for (const [seat, list] of bySeat) {
    list.sort((a, b) => a.from - b.from);
    let latest: OwnershipWindow | undefined;
    for (const w of list) {
      if (latest !== undefined && w.from < latest.to && w.owner !== latest.owner) {
        doubled.push(seat);
        break;
      }
      if (latest === undefined || w.to > latest.to) latest = w;
    }
  }
  const v = violation(
    'one-owner',
    eventId,
    'seats two sessions surely owned at the same time',
    doubled,
  );
  return v === null ? [] : [v];
}

export function violation(
  invariant: InvariantName,
  eventId: string | undefined,
  what: string,
  seats: readonly string[],
): Violation | null {
  if (seats.length === 0) return null;
  return {
    invariant,
    ...(eventId === undefined ? {} : { eventId }),
    detail: `${seats.length} ${what}`,
    seats: seats.slice(0, SHOWN),
  };
}
