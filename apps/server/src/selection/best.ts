// Best available: the seats are picked on this replica's view of the event (its mirror) and held
// by the store's atomic hold, which re-checks them; a lost race moves on to the next pick.
import type { BestHoldRequest, BestHoldResponse } from '@ticketmain/protocol';
import {
  pickBest,
  RowClaims,
  RowVacancy,
  type BestIndex,
  vacancyOf,
  type BestQuery,
  type Pick,
} from '../domain/best-seats.js';
import { errors } from '../domain/errors.js';
import type { ReadyHoldStore } from '../holds/self-healing.js';
import { bestIndexOf, type Catalog, type CatalogEntry } from '../events/catalog.js';
import { SeatClaims } from './claims.js';
import { holdArgs, refusal, toMyHold, type Holder } from './hold-request.js';
import type { HoldRules } from './service.js';

/**
 * Which seats the replica's mirror has AVAILABLE now (realtime/hub.ts availability), and the
 * watcher kept under `key` (made by `make` the first time), which the mirror tells of each change.
 */
export type Availability = (eventId: string) => Promise<{
  isAvailable: (seatId: string) => boolean;
  watcher<T extends RowVacancy>(key: object, make: () => T): T;
}>;

/** Picks tried on the mirror's view before the store's own state is read. */
const MIRROR_ATTEMPTS = 4;
/** Picks tried on the store's state; each lost race reads it again. */
const TRUTH_ATTEMPTS = 8;

/** How long the seats of a held pick are passed over by picks on the mirror, which shows them by then. */
const RECENT_MS = 2_000;

type Attempt = { held: BestHoldResponse } | { taken: string[] };

/**
 * The waiting room's admission of a session, read apart from any hold: it only chooses which
 * refusal a request that held nothing gets (the gate itself is in the store's hold).
 */
export type Admission = (eventId: string, sessionId: string) => Promise<boolean>;

export class BestAvailable {
  private readonly claims = new SeatClaims();
  /**
   * Per venue index, by row: the seats of holds in flight (claims.inFlight), and those plus the
   * seats just held, for a while (the mirror may not show them yet), for the picks on the mirror.
   */
  private readonly rowClaims = new WeakMap<BestIndex, { inFlight: RowClaims; recent: RowClaims }>();

  constructor(
    private readonly store: ReadyHoldStore,
    private readonly catalog: Catalog,
    private readonly rules: HoldRules,
    private readonly admitted: Admission = async () => true,
  ) {}

  async hold(
    eventId: string,
    holder: Holder,
    request: BestHoldRequest,
    availability: Availability,
  ): Promise<BestHoldResponse> {
    const entry = await this.catalog.get(eventId);
    const query = this.query(entry, request);
    const attempt = (pick: Pick) => this.attempt(entry, holder, pick);
    // Seats found taken by a lost race: the mirror may not show them yet.
    const taken = new Set<string>();
    const index = bestIndexOf(entry);
    for (let i = 0; i < MIRROR_ATTEMPTS; i++) {
      const mirror = await availability(eventId);
      // The mirror's seats by row, kept as it changes: the pick skips the rows with no room.
      const vacancy = mirror.watcher(index, () => new RowVacancy(index));
      const { recent } = this.claimsOf(index);
      const free = (id: string) =>
        mirror.isAvailable(id) &&
        !taken.has(id) &&
        !this.claims.has(eventId, id) &&
        !recent.hasSeat(id);
      const pick = pickBest(index, query, free, vacancy, recent);
      if (pick === undefined) break;
      const outcome = await attempt(pick);
      if ('held' in outcome) return outcome.held;
      for (const seatId of outcome.taken) taken.add(seatId);
    }
    // The mirror found nothing or kept losing: the store's state decides, so that no request is
    // refused while a matching block exists.
    for (let i = 0; i < TRUTH_ATTEMPTS; i++) {
      const snapshot = await this.store.snapshot(eventId);
      const busy = new Set([...snapshot.held, ...snapshot.sold]);
      const vacancy = vacancyOf(index, busy);
      // The state is newer than any hold this replica has had answered: only those in flight
      // are skipped.
      const free = (id: string) => !busy.has(id) && !this.claims.inFlight(eventId, id);
      const pick = pickBest(index, query, free, vacancy, this.claimsOf(index).inFlight);
      if (pick === undefined) {
        // Only seats this replica is holding for other requests are left: once their holds
        // have answered, the store's state tells whether any are still free.
        const claimed = pickBest(index, query, (id) => !busy.has(id), vacancy);
        if (claimed === undefined) throw await this.nothingHeld(eventId, holder);
        await this.claims.settled(eventId, claimed.seatIds);
        continue;
      }
      const outcome = await attempt(pick);
      if ('held' in outcome) return outcome.held;
    }
    throw errors.unavailable('Seats are changing hands too fast; try again in a moment');
  }

  private claimsOf(index: BestIndex): { inFlight: RowClaims; recent: RowClaims } {
    let claims = this.rowClaims.get(index);
    if (claims === undefined) {
      claims = { inFlight: new RowClaims(index), recent: new RowClaims(index) };
      this.rowClaims.set(index, claims);
    }
    return claims;
  }

  /**
   * The refusal of a request that found no seat to try: a session the waiting room has not
   * admitted hears that, as it would from a hold, rather than that nothing is left.
   */
  private async nothingHeld(eventId: string, holder: Holder): Promise<Error> {
    const admitted = await this.admitted(eventId, holder.sessionId);
    return admitted ? errors.noSeatsAvailable() : errors.admissionRequired();
  }

  /** The request as a query of the event, or 400 for a quantity or section it cannot have. */
  private query(entry: CatalogEntry, request: BestHoldRequest): BestQuery {
    const max = this.rules.maxSeatsPerSession;
    if (request.quantity > max) throw errors.invalid(`quantity must be at most ${max}`);
    let sectionIds: Set<string> | undefined;
    if (request.sectionIds !== undefined) {
      const known = new Set(entry.index.sections.map((section) => section.id));
      const unknown = request.sectionIds.filter((id) => !known.has(id));
      if (unknown.length > 0) throw errors.invalid(`Unknown section: ${unknown.join(', ')}`);
      sectionIds = new Set(request.sectionIds);
    }
    return {
      quantity: request.quantity,
      sectionIds,
      maxPrice: request.maxPrice,
      adjacent: request.adjacent ?? true,
      singleSeatRule: entry.record.rules.singleSeatRule,
    };
  }

  /**
   * One hold of a pick. Its seats are claimed on this replica meanwhile, so that the requests it
   * serves at once pick different seats rather than race each other for the same ones.
   */
  private async attempt(entry: CatalogEntry, holder: Holder, pick: Pick): Promise<Attempt> {
    const eventId = entry.record.id;
    const { seatIds } = pick;
    const claim = this.claims.claim(eventId, seatIds);
    const { inFlight, recent } = this.claimsOf(bestIndexOf(entry));
    inFlight.add(seatIds);
    recent.add(seatIds);
    let held = false;
    try {
      const outcome = await this.store.hold(holdArgs(entry, holder, seatIds, this.rules));
      if (outcome.ok) {
        held = true;
        return { held: { holds: outcome.holds.map(toMyHold), adjacent: pick.adjacent } };
      }
      if (outcome.reason === 'TAKEN') return { taken: [...outcome.sold, ...outcome.held] };
      // The store sees the seats around the pick otherwise than the view did: try elsewhere.
      if (outcome.reason === 'SINGLE_SEAT') return { taken: seatIds };
      throw refusal(outcome, this.rules);
    } finally {
      // A held pick stays claimed a moment, until the mirror shows it; a failed one is let go.
      if (held) claim.keep();
      else claim.drop();
      inFlight.remove(seatIds);
      if (held) setTimeout(() => recent.remove(seatIds), RECENT_MS).unref();
      else recent.remove(seatIds);
    }
  }
}
