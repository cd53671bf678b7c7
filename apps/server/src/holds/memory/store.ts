// The in-process hold store: embedded mode's hold store and the reference model of the Redis one.
// Follows holds/README.md to the letter; each state change publishes its batch synchronously.
import type {
  ChangeBatch,
  ChangeOutcome,
  CheckoutOutcome,
  EventPosition,
  ExtendOutcome,
  HandOverArgs,
  HandOverOutcome,
  HeldSeat,
  HoldOutcome,
  HoldRequestArgs,
  GaRequest,
  HoldsOutcome,
  AdmissionProbe,
  HoldStore,
  NotReady,
  ReleaseOutcome,
  Sale,
  SnapshotOutcome,
} from '../types.js';
import { randomUUID } from 'node:crypto';
import { decideHold, type GaPick, type SeatView } from '../../domain/hold-rules.js';
import { EventState, type Hold } from './event-state.js';

type Listener = (batch: ChangeBatch) => void;

export interface MemoryHoldStoreOptions {
  /** The store's clock, epoch milliseconds. */
  now?: () => number;
  /**
   * The waiting room's gate: the in-process queue store of the same app. Absent: no event has a
   * queue (a store on its own, as in the contract tests of holds alone).
   */
  admission?: AdmissionProbe;
}

function notReady(): NotReady {
  return { ok: false, reason: 'NOT_READY' };
}

/** Duplicate ids in a request count once, at their first occurrence, in every operation. */
function distinct(seatIds: readonly string[]): string[] {
  return [...new Set(seatIds)];
}

export class MemoryHoldStore implements HoldStore {
  private readonly now: () => number;
  private readonly admission: AdmissionProbe | undefined;
  private readonly events = new Map<string, EventState>();
  private readonly listeners = new Map<string, Set<Listener>>();
  // Batches wait here while an earlier one is being delivered, so that a listener which calls
  // back into the store cannot make other listeners see batches out of sequence order.
  private readonly outbox: ChangeBatch[] = [];
  private delivering = false;

  constructor(options: MemoryHoldStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.admission = options.admission;
  }

  async hold(args: HoldRequestArgs): Promise<HoldOutcome> {
    const state = this.events.get(args.eventId);
    if (state === undefined) return notReady();
    const { sessionId } = args;
    // The gate comes first, as in holdSeats: a session not admitted changes nothing.
    if (this.admission?.admits(args.eventId, sessionId) === false) {
      return { ok: false, reason: 'QUEUE_ADMISSION_REQUIRED' };
    }
    const now = this.now();
    const seatIds = distinct(args.seatIds);
    const own = [...state.seatsOf(sessionId)].sort();
    releaseLapsed(state, now, [...own, ...seatIds]);
    const { address = '', maxPerAddress = 0 } = args;
    const limits = { maxSeats: args.maxSeats, address, maxPerAddress };
    const ga = findPlaces(state, now, args.ga ?? []);
    const view = seatView(state, now);
    const outcome = decideHold(view, sessionId, seatIds, limits, args.loneSeatChecks, ga);
    if (outcome === null) {
      const expiresAt = now + args.ttlMs;
      const placedFrom = maxPerAddress > 0 ? address : '';
      for (const seatId of seatIds) {
        if (state.holdOf(seatId) === undefined) {
          state.placeHold(seatId, sessionId, expiresAt, placedFrom);
        }
      }
      for (const placeId of ga.places) state.placeHold(placeId, sessionId, expiresAt, placedFrom);
      for (const [sectionId, n] of ga.cursors) state.gaCursor.set(sectionId, n);
    }
    this.flush(args.eventId, state, now);
    const held = [...seatIds, ...ga.places];
    return outcome ?? { ok: true, holds: held.map((seatId) => heldSeat(state, seatId)) };
  }

  async release(eventId: string, sessionId: string, seatId: string): Promise<ReleaseOutcome> {
    const state = this.events.get(eventId);
    if (state === undefined) return notReady();
    const now = this.now();
    const hold = state.holdOf(seatId);
    if (hold === undefined) return { ok: false, reason: 'HOLD_NOT_FOUND' };
    if (hold.expiresAt <= now) {
      state.release(seatId);
      this.flush(eventId, state, now);
      return { ok: false, reason: 'HOLD_NOT_FOUND' };
    }
    if (hold.owner !== sessionId) return { ok: false, reason: 'NOT_OWNER' };
    if (checkoutOf(hold, now) !== undefined) return { ok: false, reason: 'CHECKOUT_IN_PROGRESS' };
    state.release(seatId);
    this.flush(eventId, state, now);
    return { ok: true };
  }

  async beginCheckout(
    eventId: string,
    sessionId: string,
    seatIds: string[],
    windowMs: number,
    attempt: string = randomUUID(),
  ): Promise<CheckoutOutcome> {
    const state = this.events.get(eventId);
    if (state === undefined) return notReady();
    const now = this.now();
    const seats = distinct(seatIds);
    const sold = seats.filter((seatId) => state.isSold(seatId));
    if (sold.length > 0) return { ok: false, reason: 'SEAT_SOLD', seats: sold };
    const notHeld = seats.filter((seatId) => {
      const hold = state.holdOf(seatId);
      return hold === undefined || hold.owner !== sessionId || hold.expiresAt <= now;
    });
    if (notHeld.length > 0) return { ok: false, reason: 'SEAT_NOT_HELD', seats: notHeld };
    const busy = seats.filter((seatId) => {
      const writing = checkoutOf(state.holdOf(seatId), now);
      return writing !== undefined && writing !== attempt;
    });
    if (busy.length > 0) return { ok: false, reason: 'CHECKOUT_IN_PROGRESS', seats: busy };
    const previous = seats.map((seatId) => heldSeat(state, seatId));
    const pushedTo = now + windowMs;
    for (const { seatId, expiresAt } of previous) {
      state.setExpiry(seatId, Math.max(expiresAt, pushedTo));
      state.setCheckout(seatId, { until: pushedTo, attempt });
    }
    return { ok: true, previous };
  }

  async extend(eventId: string, sessionId: string, ttlMs: number): Promise<ExtendOutcome> {
    const state = this.events.get(eventId);
    if (state === undefined) return notReady();
    const now = this.now();
    const live = [...state.seatsOf(sessionId)]
      .sort()
      .filter((seatId) => (state.holdOf(seatId)?.expiresAt ?? 0) > now);
    if (live.length === 0) return { ok: false, reason: 'HOLD_NOT_FOUND' };
    const free = live.filter((seatId) => checkoutOf(state.holdOf(seatId), now) === undefined);
    if (free.length === 0) return { ok: false, reason: 'CHECKOUT_IN_PROGRESS', seats: live };
    const fresh = free.filter((seatId) => state.holdOf(seatId)?.extended !== true);
    if (fresh.length === 0) return { ok: false, reason: 'ALREADY_EXTENDED' };
    for (const seatId of fresh) {
      const hold = heldSeat(state, seatId);
      state.setExpiry(seatId, Math.max(hold.expiresAt, now + ttlMs));
      state.markExtended(seatId);
    }
    return { ok: true, holds: live.map((seatId) => heldSeat(state, seatId)) };
  }

  async abortCheckout(
    eventId: string,
    sessionId: string,
    previous: HeldSeat[],
  ): Promise<ChangeOutcome> {
    const state = this.events.get(eventId);
    if (state === undefined) return notReady();
    const seen = new Set<string>();
    let changed = 0;
    for (const { seatId, expiresAt } of previous) {
      if (seen.has(seatId)) continue;
      seen.add(seatId);
      if (state.holdOf(seatId)?.owner !== sessionId) continue;
      state.setExpiry(seatId, expiresAt);
      state.setCheckout(seatId, undefined);
      changed += 1;
    }
    return { ok: true, changed };
  }

  async markSold(eventId: string, seatIds: string[], buyer: string): Promise<ChangeOutcome> {
    const state = this.events.get(eventId);
    if (state === undefined) return notReady();
    const now = this.now();
    let changed = 0;
    for (const seatId of seatIds) if (state.sell(seatId, buyer)) changed += 1;
    this.flush(eventId, state, now);
    return { ok: true, changed };
  }

  async unmarkSold(eventId: string, seatIds: string[], buyer?: string): Promise<ChangeOutcome> {
    const state = this.events.get(eventId);
    if (state === undefined) return notReady();
    const now = this.now();
    let changed = 0;
    for (const seatId of seatIds) if (state.unsell(seatId, buyer)) changed += 1;
    this.flush(eventId, state, now);
    return { ok: true, changed };
  }

  async handOver(args: HandOverArgs): Promise<HandOverOutcome> {
    const state = this.events.get(args.eventId);
    if (state === undefined) return notReady();
    const now = this.now();
    const expiresAt = now + args.ttlMs;
    const { from, to } = args;
    const moved: string[] = [];
    if ('free' in from && to === undefined) return { ok: true, seatIds: moved, expiresAt };
    for (const seatId of distinct(args.seatIds)) {
      if ('sold' in from) {
        if (!state.isSold(seatId) || state.buyerOf(seatId) !== from.sold) continue;
      } else if ('held' in from) {
        const hold = state.holdOf(seatId);
        if (hold?.owner !== from.held || checkoutOf(hold, now) !== undefined) continue;
      } else {
        // An expired hold not swept yet counts as free, as for any hold.
        const hold = state.holdOf(seatId);
        if (state.isSold(seatId) || (hold !== undefined && hold.expiresAt > now)) continue;
      }
      moved.push(seatId);
      if (to === undefined) {
        if ('sold' in from) state.unsell(seatId);
        else state.release(seatId);
      } else {
        state.handTo(seatId, to, expiresAt);
      }
    }
    this.flush(args.eventId, state, now);
    return { ok: true, seatIds: moved, expiresAt };
  }

  async expire(eventId: string, limit: number): Promise<ChangeOutcome> {
    const state = this.events.get(eventId);
    if (state === undefined) return notReady();
    const now = this.now();
    const changed = state.releaseDue(now, limit);
    this.flush(eventId, state, now);
    return { ok: true, changed };
  }

  async snapshot(eventId: string, sessionId?: string): Promise<SnapshotOutcome> {
    const state = this.events.get(eventId);
    if (state === undefined) return notReady();
    const now = this.now();
    const mine: HeldSeat[] = [];
    if (sessionId !== undefined) {
      for (const seatId of state.seatsOf(sessionId)) {
        const seat = heldSeat(state, seatId);
        if (seat.expiresAt > now) mine.push(seat);
      }
    }
    const { seq, epoch } = state;
    return { ok: true, seq, epoch, held: state.heldSeats(), sold: state.soldList(), mine };
  }

  async holdsOf(eventId: string, sessionId: string): Promise<HoldsOutcome> {
    const snapshot = await this.snapshot(eventId, sessionId);
    return snapshot.ok
      ? { ok: true, holds: snapshot.mine, seq: snapshot.seq, epoch: snapshot.epoch }
      : snapshot;
  }

  async sequence(eventId: string): Promise<EventPosition | null> {
    const state = this.events.get(eventId);
    return state === undefined ? null : { seq: state.seq, epoch: state.epoch };
  }

  async counts(eventIds: string[]): Promise<Map<string, { sold: number; held: number } | null>> {
    const result = new Map<string, { sold: number; held: number } | null>();
    for (const eventId of eventIds) {
      const state = this.events.get(eventId);
      result.set(eventId, state ? { sold: state.soldCount, held: state.heldCount } : null);
    }
    return result;
  }

  async restore(eventId: string, sales: Sale[]): Promise<void> {
    const now = this.now();
    const existing = this.events.get(eventId);
    if (existing !== undefined) {
      for (const { seatId, sessionId } of sales) existing.sell(seatId, sessionId);
      this.flush(eventId, existing, now);
      return;
    }
    // A rebuilt event numbers its SOLD marks from 0 like any change, but subscribers are told
    // to take a snapshot rather than sent the changes.
    const state = new EventState();
    for (const { seatId, sessionId } of sales) state.sell(seatId, sessionId);
    state.takeChanges();
    this.events.set(eventId, state);
    this.emit({ kind: 'replaced', eventId, time: now, seq: state.seq });
  }

  async clear(eventId: string): Promise<void> {
    const state = this.events.get(eventId);
    // Not ready: nothing to clear; the next call answers NOT_READY and the caller restores.
    if (state === undefined) return;
    state.clear();
    state.seq += 1;
    this.emit({ kind: 'replaced', eventId, time: this.now(), seq: state.seq });
  }

  async subscribe(eventId: string, listener: Listener): Promise<() => Promise<void>> {
    let set = this.listeners.get(eventId);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(eventId, set);
    }
    // Wrapped so that the same function subscribed twice gets two independent subscriptions.
    const entry: Listener = (batch) => listener(batch);
    set.add(entry);
    return async () => {
      const current = this.listeners.get(eventId);
      current?.delete(entry);
      if (current?.size === 0) this.listeners.delete(eventId);
    };
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  /**
   * Test and model hook: moves a hold's expiry (epoch ms), nothing else; no change is published.
   * Returns false when the event is not ready or the seat is not held.
   */
  setExpiry(eventId: string, seatId: string, expiresAt: number): boolean {
    return this.events.get(eventId)?.setExpiry(seatId, expiresAt) ?? false;
  }

  private flush(eventId: string, state: EventState, time: number): void {
    const changes = state.takeChanges();
    if (changes.length > 0) this.emit({ kind: 'changes', eventId, time, changes });
  }

  private emit(batch: ChangeBatch): void {
    this.outbox.push(batch);
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let next = this.outbox.shift(); next !== undefined; next = this.outbox.shift()) {
        const listeners = this.listeners.get(next.eventId);
        if (listeners === undefined) continue;
        for (const listener of [...listeners]) {
          try {
            listener(next);
          } catch {
            // A failing listener must not break the operation nor starve the other listeners.
          }
        }
      }
    } finally {
      this.delivering = false;
    }
  }
}

/**
 * The attempt whose order is being written for the held seat, or undefined. A checkout whose
 * deadline has passed no longer counts (its process may have died).
 */
function checkoutOf(hold: Hold | undefined, now: number): string | undefined {
  const checkout = hold?.checkout;
  return checkout !== undefined && checkout.until > now ? checkout.attempt : undefined;
}

function seatView(state: EventState, now: number): SeatView {
  return {
    isSold: (seatId) => state.isSold(seatId),
    holderOf: (seatId) => state.holdOf(seatId)?.owner,
    heldBy: (sessionId) => state.seatsOf(sessionId).size,
    boughtBy: (sessionId) => state.boughtBy(sessionId),
    heldFrom: (address) => state.heldFrom(address, now),
    isAvailable: (seatId) => !state.isSold(seatId) && (state.holdOf(seatId)?.expiresAt ?? 0) <= now,
  };
}

function heldSeat(state: EventState, seatId: string): HeldSeat {
  const hold = state.holdOf(seatId);
  if (hold === undefined) throw new Error(`seat ${seatId} is not held`);
  return { seatId, expiresAt: hold.expiresAt };
}

/**
 * The free GA places of each request, searched from the section's cursor as holdSeats-14.lua
 * does (a lapsed hold met on the way is released); the cursors to keep if the hold succeeds.
 */
function findPlaces(state: EventState, now: number, requests: readonly GaRequest[]): GaPick {
  const places: string[] = [];
  const short: string[] = [];
  const cursors = new Map<string, number>();
  for (const { sectionId, quantity, capacity } of requests) {
    let n = state.gaCursor.get(sectionId) ?? 1;
    if (n < 1 || n > capacity) n = 1;
    let found = 0;
    for (let tried = 0; found < quantity && tried < capacity; tried++) {
      const placeId = `${sectionId}.${n}`;
      if (!state.isSold(placeId)) {
        const hold = state.holdOf(placeId);
        if (hold !== undefined && hold.expiresAt <= now) state.release(placeId);
        if (state.holdOf(placeId) === undefined) {
          places.push(placeId);
          found += 1;
        }
      }
      n = (n % capacity) + 1;
    }
    if (found < quantity) short.push(sectionId);
    cursors.set(sectionId, n);
  }
  return { places, short, cursors };
}

/**
 * Releases the lapsed holds among `seatIds` in the order given: a hold request passes the
 * session's seats sorted by id, then the requested ones in request order, as the Lua script does.
 */
function releaseLapsed(state: EventState, now: number, seatIds: readonly string[]): void {
  for (const seatId of seatIds) {
    const hold = state.holdOf(seatId);
    if (hold !== undefined && hold.expiresAt <= now) state.release(seatId);
  }
}
