// Holding and releasing seats: the request rules around the hold store's atomic operations.
import type { HoldResponse, MyHold } from '@ticketmain/protocol';
import { assertSeatCount } from '../domain/hold-rules.js';
import { errors } from '../domain/errors.js';
import type { ReadyHoldStore } from '../holds/self-healing.js';
import type { EventPosition, HeldSeat } from '../holds/types.js';
import { assertKnownSeats, type Catalog } from '../events/catalog.js';

export interface HoldRules {
  holdTtlMs: number;
  /** Held now plus bought before, per event. */
  maxSeatsPerSession: number;
  /** Held at once by every session of one client address, per event; 0: no cap. */
  maxSeatsPerAddress: number;
}

export class HoldService {
  constructor(
    private readonly store: ReadyHoldStore,
    private readonly catalog: Catalog,
    private readonly rules: HoldRules,
  ) {}

  /** `address`: the request's client address, grouped (limits/client-address.ts). */
  async hold(
    eventId: string,
    sessionId: string,
    address: string,
    seatIds: string[],
  ): Promise<HoldResponse> {
    assertSeatCount(seatIds, this.rules.maxSeatsPerSession);
    assertKnownSeats(await this.catalog.get(eventId), seatIds);
    const outcome = await this.store.hold({
      eventId,
      sessionId,
      seatIds,
      ttlMs: this.rules.holdTtlMs,
      maxSeats: this.rules.maxSeatsPerSession,
      address,
      maxPerAddress: this.rules.maxSeatsPerAddress,
    });
    if (outcome.ok) return { holds: outcome.holds.map(toMyHold) };
    if (outcome.reason === 'HOLD_LIMIT') throw errors.holdLimit(this.rules.maxSeatsPerSession);
    if (outcome.reason === 'ADDRESS_LIMIT') {
      throw errors.addressLimit(this.rules.maxSeatsPerAddress);
    }
    throw errors.seatUnavailable(outcome.sold, outcome.held);
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

export function toMyHold(h: HeldSeat): MyHold {
  return { seatId: h.seatId, expiresAt: new Date(h.expiresAt).toISOString() };
}
