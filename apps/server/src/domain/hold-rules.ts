// The rules of a hold request, as pure functions: what the hold store decides inside its atomic
// step (the in-process store calls these; the Lua script holdSeats-14.lua follows the same rules).
import { errors } from './errors.js';
import { loneSeatsLeft, type LoneSeatCheck } from './lone-seats.js';

/** What a hold decision needs to know of the event's seats, lapsed holds already released. */
export interface SeatView {
  isSold(seatId: string): boolean;
  /** The session holding the seat, or undefined when it is AVAILABLE. */
  holderOf(seatId: string): string | undefined;
  /** How many seats the session holds now. */
  heldBy(sessionId: string): number;
  /** How many seats were sold to the session. */
  boughtBy(sessionId: string): number;
  /** How many live holds were placed from the client address, by any session. */
  heldFrom(address: string): number;
  /** Not sold and without a live hold (a lapsed hold not yet released counts as free). */
  isAvailable(seatId: string): boolean;
}

/** Who asks, and the limits that apply to them. */
export interface HoldLimits {
  /** Seats the session may have: held now plus bought before. */
  maxSeats: number;
  /** The client address of the request (grouped). */
  address: string;
  /** Live holds all sessions of the address may have together; 0: no cap. */
  maxPerAddress: number;
}

/** The GA places a hold found free, and the sections short of places. */
export interface GaPick {
  places: readonly string[];
  short: readonly string[];
  /** Each section's cursor after the search (kept only when the hold succeeds). */
  cursors: ReadonlyMap<string, number>;
}

const NO_PLACES: GaPick = { places: [], short: [], cursors: new Map() };

export type HoldRefusal =
  | { ok: false; reason: 'TAKEN'; sold: string[]; held: string[]; sections?: string[] }
  | { ok: false; reason: 'HOLD_LIMIT'; wouldHold: number }
  | { ok: false; reason: 'ADDRESS_LIMIT'; wouldHold: number }
  | { ok: false; reason: 'SINGLE_SEAT'; seats: string[] };

/**
 * The refusal of a hold of `seatIds` (distinct, in request order) by `sessionId`, or null when
 * it may proceed: any seat sold or held by another session refuses all of them (listed in
 * request order); else the seats the session would hold afterwards plus those it bought must not
 * pass `maxSeats`; else the address's live holds with the new ones must not pass its cap; else
 * the hold must leave none of `loneChecks` alone (the lone-seat rule, lone-seats.ts). GA places
 * (`ga`, found free beforehand) count as new holds; a section short of places refuses all.
 */
export function decideHold(
  view: SeatView,
  sessionId: string,
  seatIds: readonly string[],
  limits: HoldLimits,
  loneChecks: readonly LoneSeatCheck[] = [],
  ga: GaPick = NO_PLACES,
): HoldRefusal | null {
  const sold: string[] = [];
  const held: string[] = [];
  let added = ga.places.length;
  for (const seatId of seatIds) {
    const holder = view.holderOf(seatId);
    if (view.isSold(seatId)) sold.push(seatId);
    else if (holder !== undefined && holder !== sessionId) held.push(seatId);
    else if (holder === undefined) added += 1;
  }
  if (ga.short.length > 0) {
    return { ok: false, reason: 'TAKEN', sold, held, sections: [...ga.short] };
  }
  if (sold.length > 0 || held.length > 0) return { ok: false, reason: 'TAKEN', sold, held };
  const wouldHold = view.heldBy(sessionId) + view.boughtBy(sessionId) + added;
  if (wouldHold > limits.maxSeats) return { ok: false, reason: 'HOLD_LIMIT', wouldHold };
  if (limits.maxPerAddress > 0 && added > 0) {
    const byAddress = view.heldFrom(limits.address) + added;
    if (byAddress > limits.maxPerAddress) {
      return { ok: false, reason: 'ADDRESS_LIMIT', wouldHold: byAddress };
    }
  }
  if (loneChecks.length > 0) {
    const lone = loneSeatsLeft(loneChecks, new Set(seatIds), (id) => view.isAvailable(id));
    if (lone.length > 0) return { ok: false, reason: 'SINGLE_SEAT', seats: lone };
  }
  return null;
}

/** API.md: a seatIds array has 1 to MAX_SEATS_PER_SESSION entries (400 beyond). */
export function assertSeatCount(seatIds: readonly string[], max: number): void {
  if (seatIds.length > max) {
    throw errors.invalid(`seatIds must have at most ${max} entries`);
  }
}
