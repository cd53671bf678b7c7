// Holding and releasing seats: the request rules around the hold store's atomic operations.
import type { HoldResponse, MyHold } from '@ticketmain/protocol';
import { errors } from '../domain/errors.js';
import type { HoldStore } from '../holds/types.js';
import { assertKnownSeats, type Catalog } from './catalog.js';
import type { Reconciler } from './reconciler.js';

export interface HoldRules {
  holdTtlMs: number;
  maxSeatsPerSession: number;
}

export class HoldService {
  constructor(
    private readonly store: HoldStore,
    private readonly catalog: Catalog,
    private readonly reconciler: Reconciler,
    private readonly rules: HoldRules,
  ) {}

  async hold(eventId: string, sessionId: string, seatIds: string[]): Promise<HoldResponse> {
    assertSeatCount(seatIds, this.rules.maxSeatsPerSession);
    assertKnownSeats(await this.catalog.get(eventId), seatIds);
    const outcome = await this.reconciler.run(eventId, () =>
      this.store.hold({
        eventId,
        sessionId,
        seatIds,
        ttlMs: this.rules.holdTtlMs,
        maxSeats: this.rules.maxSeatsPerSession,
      }),
    );
    if (outcome.ok) {
      return {
        holds: outcome.holds.map((h) => ({
          seatId: h.seatId,
          expiresAt: new Date(h.expiresAt).toISOString(),
        })),
      };
    }
    if (outcome.reason === 'HOLD_LIMIT') throw errors.holdLimit(this.rules.maxSeatsPerSession);
    throw errors.seatUnavailable(outcome.sold, outcome.held);
  }

  async release(eventId: string, sessionId: string, seatId: string): Promise<void> {
    assertKnownSeats(await this.catalog.get(eventId), [seatId]);
    const outcome = await this.reconciler.run(eventId, () =>
      this.store.release(eventId, sessionId, seatId),
    );
    if (outcome.ok) return;
    throw outcome.reason === 'NOT_OWNER' ? errors.notOwner(seatId) : errors.holdNotFound(seatId);
  }

  /** The session's live holds: the `mine` of a seat snapshot. */
  async mine(eventId: string, sessionId: string): Promise<MyHold[]> {
    const outcome = await this.reconciler.run(eventId, () =>
      this.store.holdsOf(eventId, sessionId),
    );
    return outcome.holds.map((h) => ({
      seatId: h.seatId,
      expiresAt: new Date(h.expiresAt).toISOString(),
    }));
  }
}

/** API.md: a seatIds array has 1 to MAX_SEATS_PER_SESSION entries. */
export function assertSeatCount(seatIds: string[], max: number): void {
  if (seatIds.length > max) {
    throw errors.invalid(`seatIds must have at most ${max} entries`);
  }
}
