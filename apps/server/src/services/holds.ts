// Holding and releasing seats: the request rules around the hold store's atomic operations.
import type { HoldResponse, MyHold } from '@ticketmain/protocol';
import { errors } from '../domain/errors.js';
import type { EventPosition, HeldSeat, HoldStore } from '../holds/types.js';
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
    if (outcome.reason === 'CHECKOUT_IN_PROGRESS') throw errors.checkoutInProgress([seatId]);
    throw outcome.reason === 'NOT_OWNER' ? errors.notOwner(seatId) : errors.holdNotFound(seatId);
  }

  /** The session's live holds (the `mine` of a seat snapshot) and the position they were read at. */
  async mine(eventId: string, sessionId: string): Promise<EventPosition & { holds: MyHold[] }> {
    const { seq, epoch, holds } = await this.reconciler.run(eventId, () =>
      this.store.holdsOf(eventId, sessionId),
    );
    return { seq, epoch, holds: holds.map(toMyHold) };
  }

  /**
   * The session's seat snapshot: the lists and its `mine` at one sequence number. Both are read
   * at once from the store when the replica's mirror cannot give the lists at exactly the
   * position `mine` was read at (changes kept coming).
   */
  async snapshotOf(eventId: string, sessionId: string, lists: ListsAt): Promise<SnapshotJson> {
    for (let attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
      const mine = await this.mine(eventId, sessionId);
      const at = await lists(mine);
      if (at.seq === mine.seq) return { json: at.json, mine: mine.holds };
    }
    const snap = await this.reconciler.run(eventId, () => this.store.snapshot(eventId, sessionId));
    const json = `"seq":${snap.seq},"held":${JSON.stringify(snap.held)},"sold":${JSON.stringify(snap.sold)}`;
    return { json, mine: snap.mine.map(toMyHold) };
  }
}

/** The seat lists, pre-serialised, at `position.seq` or later (the replica's mirror). */
export type ListsAt = (position: EventPosition) => Promise<{ seq: number; json: string }>;

export interface SnapshotJson {
  /** `"seq":…,"held":[…],"sold":[…]`, to be wrapped into the snapshot object. */
  json: string;
  mine: MyHold[];
}

/** Tries at reading `mine` and the mirror's lists at one position before asking the store. */
const SNAPSHOT_ATTEMPTS = 3;

function toMyHold(h: HeldSeat): MyHold {
  return { seatId: h.seatId, expiresAt: new Date(h.expiresAt).toISOString() };
}

/** API.md: a seatIds array has 1 to MAX_SEATS_PER_SESSION entries. */
export function assertSeatCount(seatIds: string[], max: number): void {
  if (seatIds.length > max) {
    throw errors.invalid(`seatIds must have at most ${max} entries`);
  }
}
