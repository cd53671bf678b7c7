// The waiting list of a sold-out event (API.md "Cancellation, refunds and the waiting list";
// docs/design.md, "The waiting list"). Entries live in PostgreSQL; seats reach them through the hold store's
// hand-over, which moves a seat from its cancelled sale (or from an offer that ran out) straight
// to a hold of the next entry's session, so no other buyer can take it in between.
import type { FastifyBaseLogger } from 'fastify';
import type { MyHold, WaitlistEntry, WaitlistJoinRequest } from '@ticketmain/protocol';
import { pickBest, type BestQuery } from '../domain/best-seats.js';
import { errors } from '../domain/errors.js';
import { bestIndexOf, type Catalog, type CatalogEntry } from '../events/catalog.js';
import type { ReadyHoldStore } from '../holds/self-healing.js';
import type { HandOverSource } from '../holds/types.js';
import type { WaitlistRow, WaitlistSql } from '../ledger/waitlist-sql.js';
import { toMyHold } from '../selection/hold-request.js';

export interface WaitlistRules {
  waitlistOfferMs: number;
  maxSeatsPerSession: number;
}

/**
 * The hold behind an offer outlasts the offer by this much: the waitlist job passes an offer on
 * when it ends, while its seats are still held, so that they are never free on the way. Should
 * the job be down longer, the holds lapse and the seats become AVAILABLE as any hold's do.
 */
export const OFFER_GRACE_MS = 15_000;
/** Waiting entries looked at per hand-over. */
const ENTRIES_PER_HAND_OVER = 100;
/** Offers passed on per run of the job. */
const OFFERS_PER_RUN = 50;
/** Events whose free seats are offered per run of the job. */
const EVENTS_PER_RUN = 50;

export class WaitlistService {
  constructor(
    private readonly store: ReadyHoldStore,
    private readonly sql: WaitlistSql,
    private readonly catalog: Catalog,
    private readonly rules: WaitlistRules,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Joins the list while nothing is free; joining again answers the entry as it is. */
  async join(
    eventId: string,
    sessionId: string,
    request: WaitlistJoinRequest,
  ): Promise<{ created: boolean; entry: WaitlistEntry }> {
    const catalogEntry = await this.catalog.get(eventId);
    const known = await this.sql.entryOf(eventId, sessionId);
    if (known !== null) return { created: false, entry: await this.present(known) };
    this.check(catalogEntry, request);
    const counts = (await this.store.counts([eventId])).get(eventId) ?? null;
    const seatCount = catalogEntry.index.seatCount;
    if (counts === null || counts.sold + counts.held < seatCount) throw errors.seatsAvailable();
    const sectionIds = request.sectionIds ?? null;
    const joined = await this.sql.join(eventId, sessionId, request.quantity, sectionIds);
    return { created: joined.created, entry: await this.present(joined.entry) };
  }

  async entryOf(eventId: string, sessionId: string): Promise<WaitlistEntry> {
    await this.catalog.get(eventId);
    const entry = await this.sql.entryOf(eventId, sessionId);
    if (entry === null) throw errors.waitlistNotJoined();
    return this.present(entry);
  }

  /**
   * The cancellation's release: its seats, still SOLD to `buyer`, go to the waiting entries that
   * fit, in order of joining, and the rest become AVAILABLE.
   */
  async releaseCancelled(eventId: string, seatIds: string[], buyer: string): Promise<void> {
    await this.sql.transaction((tx) => this.handOut(tx, eventId, seatIds, { sold: buyer }));
  }

  /**
   * The job: offers whose time is up pass on, or are recorded as bought. One offer per
   * transaction, so that a transaction holds one event's hand-out lock at most (no deadlock
   * between replicas taking two events' locks in opposite orders).
   */
  async passDueOffers(): Promise<void> {
    for (let i = 0; i < OFFERS_PER_RUN; i++) {
      const passed = await this.sql.transaction(async (tx) => {
        const [offer] = await tx.claimDueOffers(this.now(), 1);
        if (offer === undefined) return false;
        const bought = await tx.boughtBy(offer.eventId, offer.sessionId, offer.seatIds);
        await tx.markEnded(offer.id, bought > 0 ? 'purchased' : 'expired');
        if (bought < offer.seatIds.length) {
          await this.handOut(tx, offer.eventId, offer.seatIds, { held: offer.sessionId });
        }
        return true;
      });
      if (!passed) return;
    }
  }

  /**
   * The job: seats that came free without a hand-over (a hold that lapsed or was released on an
   * event people wait for) go to the waiting entries too, from AVAILABLE, as soon as the job sees
   * them. Someone may take such a seat first: it is on sale like any free seat until then.
   */
  async offerFreed(): Promise<void> {
    for (const eventId of await this.sql.eventsWaiting(EVENTS_PER_RUN)) {
      const free = await this.freeSeats(eventId);
      if (free.length === 0) continue;
      await this.sql.transaction((tx) => this.handOut(tx, eventId, free, { free: true }));
    }
  }

  /** The event's seats neither sold nor held, cheaply nothing while everything is taken. */
  private async freeSeats(eventId: string): Promise<string[]> {
    const entry = await this.catalog.get(eventId);
    const counts = (await this.store.counts([eventId])).get(eventId) ?? null;
    if (counts === null || counts.sold + counts.held >= entry.index.seatCount) return [];
    const snapshot = await this.store.snapshot(eventId);
    if (!snapshot.ok) return [];
    const taken = new Set([...snapshot.held, ...snapshot.sold]);
    return [...entry.index.seatById.keys()].filter((seatId) => !taken.has(seatId));
  }

  private check(entry: CatalogEntry, request: WaitlistJoinRequest): void {
    const max = this.rules.maxSeatsPerSession;
    if (request.quantity > max) throw errors.invalid(`quantity must be at most ${max}`);
    if (request.sectionIds === undefined) return;
    const known = new Set(entry.index.sections.map((section) => section.id));
    const unknown = request.sectionIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw errors.invalid(`Unknown section: ${unknown.join(', ')}`);
  }

  /**
   * Inside the caller's transaction, under the event's hand-out lock (other replicas wait): each
   * waiting entry in turn gets the best seats of the pool that fit it, held for its session by
   * one hand-over; what no entry takes becomes AVAILABLE. A seat found elsewhere than `from`
   * says (sold again, in checkout) is not handed over and stays where it is.
   */
  private async handOut(
    tx: WaitlistSql,
    eventId: string,
    seatIds: string[],
    from: HandOverSource,
  ): Promise<void> {
    const pool = new Set(seatIds);
    if (pool.size === 0) return;
    const catalogEntry = await this.catalog.get(eventId);
    const ttlMs = this.rules.waitlistOfferMs + OFFER_GRACE_MS;
    await tx.lockEvent(eventId);
    for (const entry of await tx.claimWaiting(eventId, ENTRIES_PER_HAND_OVER)) {
      if (pool.size === 0) break;
      const picked = this.pick(catalogEntry, entry, pool);
      if (picked === undefined) continue;
      for (const seatId of picked) pool.delete(seatId);
      const args = { eventId, seatIds: picked, from, to: entry.sessionId, ttlMs };
      const moved = await this.store.handOver(args);
      if (moved.seatIds.length === 0) continue;
      // The offer ends by this replica's clock, the grace before its hold's end by the store's.
      const endsAt = Math.min(this.now() + this.rules.waitlistOfferMs, moved.expiresAt);
      await tx.markOffered(entry.id, moved.seatIds, endsAt);
      this.log.info({ eventId, entry: entry.id, seats: moved.seatIds.length }, 'waitlist offer');
    }
    if (pool.size > 0 && !('free' in from)) {
      await this.store.handOver({ eventId, seatIds: [...pool], from, ttlMs });
    }
  }

  /** The best seats of the pool for the entry: side by side if it can be, else any. */
  private pick(
    catalogEntry: CatalogEntry,
    entry: WaitlistRow,
    pool: ReadonlySet<string>,
  ): string[] | undefined {
    if (pool.size < entry.quantity) return undefined;
    const query: BestQuery = {
      quantity: entry.quantity,
      sectionIds: entry.sectionIds === null ? undefined : new Set(entry.sectionIds),
      adjacent: true,
      singleSeatRule: false,
    };
    const index = bestIndexOf(catalogEntry);
    const free = (seatId: string) => pool.has(seatId);
    const pick =
      pickBest(index, query, free) ?? pickBest(index, { ...query, adjacent: false }, free);
    return pick?.seatIds;
  }

  /**
   * The API form. An offer whose seats were bought is recorded as purchased on the way, also one
   * the job ended as expired while its order was being written (seats in checkout stay put).
   */
  private async present(entry: WaitlistRow): Promise<WaitlistEntry> {
    let { status } = entry;
    let holds: MyHold[] = [];
    if (status === 'offered' || status === 'expired') {
      const bought = await this.sql.boughtBy(entry.eventId, entry.sessionId, entry.seatIds);
      if (bought > 0) {
        await this.sql.markEnded(entry.id, 'purchased');
        status = 'purchased';
      } else if (status === 'offered') {
        holds = await this.offerHolds(entry);
      }
    }
    const position = status === 'waiting' ? await this.sql.positionOf(entry) : 0;
    return { status, position, quantity: entry.quantity, holds };
  }

  /** The offered seats the session still holds, each until the offer's end. */
  private async offerHolds(entry: WaitlistRow): Promise<MyHold[]> {
    const offered = new Set(entry.seatIds);
    const { holds } = await this.store.holdsOf(entry.eventId, entry.sessionId);
    const endsAt = entry.offerEndsAt ?? 0;
    return holds
      .filter((hold) => offered.has(hold.seatId))
      .map((hold) =>
        toMyHold({ seatId: hold.seatId, expiresAt: Math.min(hold.expiresAt, endsAt) }),
      );
  }
}
