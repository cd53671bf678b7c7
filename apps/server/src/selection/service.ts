// Holding and releasing seats: the request rules around the hold store's atomic operations.
import type { BestHoldRequest, BestHoldResponse, HoldResponse, MyHold } from '@ticketmain/protocol';
import { assertSeatCount } from '../domain/hold-rules.js';
import { errors } from '../domain/errors.js';
import type { ReadyHoldStore } from '../holds/self-healing.js';
import type { EventPosition } from '../holds/types.js';
import { assertKnownSeats, type Catalog } from '../events/catalog.js';
import { BestAvailable, type Admission, type Availability } from './best.js';
import { holdArgs, refusal, toMyHold, type Holder } from './hold-request.js';

export { toMyHold };

export interface HoldRules {
  holdTtlMs: number;
  /** Held now plus bought before, per event. */
  maxSeatsPerSession: number;
  /** Held at once by every session of one client address, per event; 0: no cap. */
  maxSeatsPerAddress: number;
}

export class HoldService {
  private readonly best: BestAvailable;

  constructor(
    private readonly store: ReadyHoldStore,
    private readonly catalog: Catalog,
    private readonly rules: HoldRules,
    /** The waiting room's admission, for the refusal of a best-available request that held nothing. */
    admitted?: Admission,
  ) {
    this.best = new BestAvailable(store, catalog, rules, admitted);
  }

  /** `address`: the request's client address, grouped (limits/client-address.ts). */
  async hold(
    eventId: string,
    sessionId: string,
    address: string,
    seatIds: string[],
  ): Promise<HoldResponse> {
    assertSeatCount(seatIds, this.rules.maxSeatsPerSession);
    const entry = await this.catalog.get(eventId);
    assertKnownSeats(entry, seatIds);
    const outcome = await this.store.hold(
      holdArgs(entry, { sessionId, address }, seatIds, this.rules),
    );
    if (outcome.ok) return { holds: outcome.holds.map(toMyHold) };
    throw refusal(outcome, this.rules);
  }

  /**
   * Picks and holds the best seats for the request (API.md "Holds: best available"), on the
   * replica's view of the seats (`availability`), re-checked by the store's hold.
   */
  holdBest(
    eventId: string,
    holder: Holder,
    request: BestHoldRequest,
    availability: Availability,
  ): Promise<BestHoldResponse> {
    return this.best.hold(eventId, holder, request, availability);
  }

  async release(eventId: string, sessionId: string, seatId: string): Promise<void> {
    assertKnownSeats(await this.catalog.get(eventId), [seatId]);
    const outcome = await this.store.release(eventId, sessionId, seatId);
    if (outcome.ok) return;
    if (outcome.reason === 'CHECKOUT_IN_PROGRESS') throw errors.checkoutInProgress([seatId]);
    throw outcome.reason === 'NOT_OWNER' ? errors.notOwner(seatId) : errors.holdNotFound(seatId);
  }

  /** More time, once per hold, for every live hold of the session (API.md "Hold extension"). */
  async extend(eventId: string, sessionId: string, address: string): Promise<HoldResponse> {
    await this.catalog.get(eventId);
    const { holdTtlMs } = this.rules;
    const outcome = await this.store.extend(eventId, sessionId, holdTtlMs, address);
    if (outcome.ok) return { holds: outcome.holds.map(toMyHold) };
    if (outcome.reason === 'CHECKOUT_IN_PROGRESS') throw errors.checkoutInProgress(outcome.seats);
    throw outcome.reason === 'ALREADY_EXTENDED' ? errors.alreadyExtended() : errors.noHolds();
  }

  /** The session's live holds (the `mine` of a seat snapshot) and the position they were read at. */
  async mine(eventId: string, sessionId: string): Promise<EventPosition & { holds: MyHold[] }> {
    const { seq, epoch, holds } = await this.store.holdsOf(eventId, sessionId);
    return { seq, epoch, holds: holds.map(toMyHold) };
  }
}
