// Seat state of one ready event in the in-process hold store, with the indexes its rules need.
// Every seat change takes the next sequence number here and waits in `pending` until published.
import type { SeatChangeRecord } from '../types.js';
import { ExpiryQueue } from './expiry-queue.js';

export interface Hold {
  owner: string;
  /** The client address the hold was placed from ('' when no address cap applied). */
  address: string;
  /** Epoch milliseconds by the store's clock. */
  expiresAt: number;
  /** Set by beginCheckout: until `until` (epoch ms) the order `attempt` is being written. */
  checkout?: Checkout;
  /** Set by extend: the hold has had its one extension. */
  extended?: boolean;
}

export interface Checkout {
  until: number;
  /** The order's idempotency key (or a one-off name when it has none). */
  attempt: string;
}

const NO_SEATS: ReadonlySet<string> = new Set();

/** Epochs handed out by this process: each new state gets the next one. */
let epochs = 0;

export class EventState {
  seq = 0;
  /** New for each state built (the Redis store's ready marker value plays this part there). */
  readonly epoch = `${Date.now()}.${++epochs}`;
  private readonly holds = new Map<string, Hold>();
  private readonly soldSeats = new Set<string>();
  private readonly bySession = new Map<string, Set<string>>();
  private readonly byAddress = new Map<string, Set<string>>();
  /** seatId → the session it was sold to. */
  private readonly buyers = new Map<string, string>();
  /** sessionId → seats sold to it. */
  private readonly bought = new Map<string, number>();
  private readonly expiries = new ExpiryQueue();
  /** GA sectionId → the place number its next search starts at; an admin reset keeps it. */
  readonly gaCursor = new Map<string, number>();
  private pending: SeatChangeRecord[] = [];

  holdOf(seatId: string): Hold | undefined {
    return this.holds.get(seatId);
  }

  isSold(seatId: string): boolean {
    return this.soldSeats.has(seatId);
  }

  /** Seats the session holds, expired-but-not-swept included. */
  seatsOf(sessionId: string): ReadonlySet<string> {
    return this.bySession.get(sessionId) ?? NO_SEATS;
  }

  /** Live holds (`expiresAt > now`) placed from the address, by any session. */
  heldFrom(address: string, now: number): number {
    let live = 0;
    for (const seatId of this.byAddress.get(address) ?? NO_SEATS) {
      if ((this.holds.get(seatId)?.expiresAt ?? 0) > now) live += 1;
    }
    return live;
  }

  /** Seats sold to the session. */
  boughtBy(sessionId: string): number {
    return this.bought.get(sessionId) ?? 0;
  }

  heldSeats(): string[] {
    return [...this.holds.keys()];
  }

  soldList(): string[] {
    return [...this.soldSeats];
  }

  get heldCount(): number {
    return this.holds.size;
  }

  get soldCount(): number {
    return this.soldSeats.size;
  }

  /** The seat must be AVAILABLE. `address`: '' when no address cap applies. */
  placeHold(seatId: string, owner: string, expiresAt: number, address: string): void {
    this.holds.set(seatId, { owner, expiresAt, address });
    addTo(this.bySession, owner, seatId);
    if (address !== '') addTo(this.byAddress, address, seatId);
    this.expiries.set(seatId, expiresAt);
    this.record(seatId, 'HELD');
  }

  /** HELD → AVAILABLE; false when the seat was not held. */
  release(seatId: string): boolean {
    if (!this.dropHold(seatId)) return false;
    this.record(seatId, 'AVAILABLE');
    return true;
  }

  /** Any state → SOLD to `buyer`, dropping a hold; false when the seat was already sold. */
  sell(seatId: string, buyer: string): boolean {
    if (this.soldSeats.has(seatId)) return false;
    this.dropHold(seatId);
    this.soldSeats.add(seatId);
    this.buyers.set(seatId, buyer);
    this.bought.set(buyer, this.boughtBy(buyer) + 1);
    this.record(seatId, 'SOLD');
    return true;
  }

  /** Marks the hold in checkout, or ends its checkout (undefined). */
  setCheckout(seatId: string, checkout: Checkout | undefined): void {
    const hold = this.holds.get(seatId);
    if (hold === undefined) return;
    if (checkout === undefined) delete hold.checkout;
    else hold.checkout = checkout;
  }

  /** The hold has had its one extension (forgotten when the hold is dropped). */
  markExtended(seatId: string): void {
    const hold = this.holds.get(seatId);
    if (hold !== undefined) hold.extended = true;
  }

  /**
   * SOLD → AVAILABLE; false when the seat was not sold. With `soldTo`, only a seat sold to that
   * session (it may have been sold again since).
   */
  unsell(seatId: string, soldTo?: string): boolean {
    const buyer = this.buyers.get(seatId);
    if (soldTo !== undefined && buyer !== soldTo) return false;
    if (!this.soldSeats.delete(seatId)) return false;
    if (buyer !== undefined) {
      this.buyers.delete(seatId);
      const left = this.boughtBy(buyer) - 1;
      if (left > 0) this.bought.set(buyer, left);
      else this.bought.delete(buyer);
    }
    this.record(seatId, 'AVAILABLE');
    return true;
  }

  /** Moves a hold's expiry without a seat change; false when the seat is not held. */
  setExpiry(seatId: string, expiresAt: number): boolean {
    const hold = this.holds.get(seatId);
    if (hold === undefined) return false;
    hold.expiresAt = expiresAt;
    this.expiries.set(seatId, expiresAt);
    return true;
  }

  /** Releases up to `limit` holds with `expiresAt <= now`, earliest first; returns how many. */
  releaseDue(now: number, limit: number): number {
    const due = this.expiries.popExpired(now, limit);
    for (const { seatId } of due) this.release(seatId);
    return due.length;
  }

  /** Drops every hold and sale; the sequence goes on. */
  clear(): void {
    this.holds.clear();
    this.soldSeats.clear();
    this.bySession.clear();
    this.byAddress.clear();
    this.buyers.clear();
    this.bought.clear();
    this.expiries.clear();
  }

  /** The changes recorded since the last call, in sequence order. */
  takeChanges(): SeatChangeRecord[] {
    const changes = this.pending;
    this.pending = [];
    return changes;
  }

  private dropHold(seatId: string): boolean {
    const hold = this.holds.get(seatId);
    if (hold === undefined) return false;
    this.holds.delete(seatId);
    removeFrom(this.bySession, hold.owner, seatId);
    removeFrom(this.byAddress, hold.address, seatId);
    this.expiries.delete(seatId);
    return true;
  }

  private record(seatId: string, status: SeatChangeRecord['status']): void {
    this.seq += 1;
    this.pending.push({ seq: this.seq, seatId, status });
  }
}

function addTo(index: Map<string, Set<string>>, key: string, seatId: string): void {
  let seats = index.get(key);
  if (seats === undefined) {
    seats = new Set();
    index.set(key, seats);
  }
  seats.add(seatId);
}

function removeFrom(index: Map<string, Set<string>>, key: string, seatId: string): void {
  const seats = index.get(key);
  seats?.delete(seatId);
  if (seats?.size === 0) index.delete(key);
}
