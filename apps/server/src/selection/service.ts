// Holding and releasing seats: the request rules around the hold store's atomic operations.
import type {
  BestHoldRequest,
  BestHoldResponse,
  HoldRequest,
  HoldResponse,
  MyHold,
} from '@ticketmain/protocol';
import { placeSection } from '../domain/venue/layout.js';
import type { CatalogEntry } from '../events/catalog.js';
import type { GaRequest } from '../holds/types.js';
import { assertSeatCount } from '../domain/hold-rules.js';
import { errors } from '../domain/errors.js';
import type { ReadyHoldStore } from '../holds/self-healing.js';
import type { EventPosition } from '../holds/types.js';
import { assertKnownSeats, type Catalog } from '../events/catalog.js';
import { BestAvailable, type Admission, type Availability } from './best.js';
import { holdArgs, refusal, toHeldPlace, toMyHold, type Holder } from './hold-request.js';

export { toMyHold };

export interface HoldRules {
  holdTtlMs: number;
  /** Held now plus bought before, per event. */
  maxSeatsPerSession: number;
  /** Held at once by every session of one client address, per event; 0: no cap. */
  maxSeatsPerAddress: number;
}

/** A GA section's places neither held nor sold, as the replica's mirror has them. */
export interface AreaView {
  placesLeft(sectionId: string): number;
}

/** The mirror's view now, and once it has caught up with the store (undefined: it is slow to). */
export interface AreaViews {
  now(eventId: string): Promise<AreaView>;
  current(eventId: string): Promise<AreaView | undefined>;
}

export class HoldService {
  private readonly best: BestAvailable;

  constructor(
    private readonly store: ReadyHoldStore,
    private readonly catalog: Catalog,
    private readonly rules: HoldRules,
    /** The waiting room's admission, for the refusal of a request that held nothing. */
    private readonly admitted: Admission = async () => true,
  ) {
    this.best = new BestAvailable(store, catalog, rules, admitted);
  }

  /**
   * Seats by id and GA places by quantity, all or nothing, in one store step. `address`: the
   * request's client address, grouped (limits/client-address.ts). With `areas` (the replica's
   * mirror), a GA request for more places than are left is refused without the store's hold:
   * its search for places walks the whole section when the section is short, so a crowd asking
   * a sold-out floor would keep Redis busy. The mirror may lag the store by a moment, so a
   * refusal is made only once the mirror has caught up with the store's sequence number (one
   * cheap read): a place just released is never refused.
   */
  async hold(
    eventId: string,
    sessionId: string,
    address: string,
    request: HoldRequest,
    areas?: AreaViews,
  ): Promise<HoldResponse> {
    const seatIds = request.seatIds ?? [];
    if (seatIds.length === 0 && (request.ga ?? []).length === 0) {
      throw errors.invalid('Give seatIds, ga or both');
    }
    const entry = await this.catalog.get(eventId);
    const ga = gaRequests(entry, request.ga ?? []);
    const places = ga.reduce((n, { quantity }) => n + quantity, 0);
    const max = this.rules.maxSeatsPerSession;
    if (seatIds.length + places > max) {
      throw errors.invalid(`A hold may have at most ${max} seats and places`);
    }
    assertSeatCount(seatIds, max);
    const gaSeats = seatIds.filter((id) => placeSection(entry.index, id) !== undefined);
    if (gaSeats.length > 0) {
      const sections = [...new Set(gaSeats.map((id) => placeSection(entry.index, id)!.id))];
      throw errors.wrongSectionKind(
        `Places of a general-admission section are held by quantity (ga), not by seat id`,
        sections,
      );
    }
    assertKnownSeats(entry, seatIds);
    if (ga.length > 0 && areas !== undefined) {
      await this.refuseShortAreas(eventId, sessionId, ga, areas);
    }
    const args = holdArgs(entry, { sessionId, address }, seatIds, this.rules);
    const outcome = await this.store.hold(ga.length > 0 ? { ...args, ga } : args);
    if (outcome.ok) return { holds: outcome.holds.map((h) => toHeldPlace(entry, h)) };
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

  /** Refuses, as the store would, GA requests for more places than are left. */
  private async refuseShortAreas(
    eventId: string,
    sessionId: string,
    ga: GaRequest[],
    areas: AreaViews,
  ): Promise<void> {
    const shortIn = (view: AreaView) =>
      ga
        .filter(({ sectionId, quantity }) => view.placesLeft(sectionId) < quantity)
        .map(({ sectionId }) => sectionId);
    if (shortIn(await areas.now(eventId)).length === 0) return;
    const current = await areas.current(eventId);
    const short = current === undefined ? [] : shortIn(current);
    if (short.length === 0) return; // the store decides
    // The store's gate answers before its places: so does this refusal.
    if (!(await this.admitted(eventId, sessionId))) throw errors.admissionRequired();
    throw errors.seatUnavailable([], [], short);
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
    const entry = await this.catalog.get(eventId);
    const { holdTtlMs } = this.rules;
    const outcome = await this.store.extend(eventId, sessionId, holdTtlMs, address);
    if (outcome.ok) return { holds: outcome.holds.map((h) => toHeldPlace(entry, h)) };
    if (outcome.reason === 'CHECKOUT_IN_PROGRESS') throw errors.checkoutInProgress(outcome.seats);
    throw outcome.reason === 'ALREADY_EXTENDED' ? errors.alreadyExtended() : errors.noHolds();
  }

  /** The session's live holds (the `mine` of a seat snapshot) and the position they were read at. */
  async mine(eventId: string, sessionId: string): Promise<EventPosition & { holds: MyHold[] }> {
    const { seq, epoch, holds } = await this.store.holdsOf(eventId, sessionId);
    return { seq, epoch, holds: holds.map(toMyHold) };
  }
}

/**
 * The GA part of a hold, one entry per section (a section named twice: the quantities add up).
 * An unknown section: UNKNOWN_SECTION; a seated one: WRONG_SECTION_KIND (both 422).
 */
function gaRequests(
  entry: CatalogEntry,
  requested: readonly { sectionId: string; quantity: number }[],
): GaRequest[] {
  const bySection = new Map<string, GaRequest>();
  const unknown: string[] = [];
  const seated: string[] = [];
  for (const { sectionId, quantity } of requested) {
    const section = entry.index.ga.get(sectionId);
    if (section === undefined) {
      const exists = entry.index.sections.some((s) => s.id === sectionId);
      (exists ? seated : unknown).push(sectionId);
      continue;
    }
    const previous = bySection.get(sectionId);
    if (previous !== undefined) previous.quantity += quantity;
    else bySection.set(sectionId, { sectionId, quantity, capacity: section.capacity });
  }
  if (unknown.length > 0) throw errors.unknownSections(unknown);
  if (seated.length > 0) {
    throw errors.wrongSectionKind(
      'A seated section is held by seat id (seatIds), not by quantity',
      seated,
    );
  }
  return [...bySection.values()];
}
