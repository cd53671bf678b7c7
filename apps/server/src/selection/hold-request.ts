// What a hold request carries besides its seats, and what its refusals become: shared by the
// hold by seat and best available.
import type { HeldPlace, MyHold } from '@ticketmain/protocol';
import { lookupSeat } from '../domain/venue/layout.js';
import { errors, type AppError } from '../domain/errors.js';
import { loneSeatChecks, type LoneSeatCheck } from '../domain/lone-seats.js';
import type { CatalogEntry } from '../events/catalog.js';
import type { HeldSeat, HoldOutcome, HoldRequestArgs } from '../holds/types.js';
import type { HoldRules } from './service.js';

export function toMyHold(h: HeldSeat): MyHold {
  return { seatId: h.seatId, expiresAt: new Date(h.expiresAt).toISOString() };
}

/** A hold with its section (a GA place's is the section it was minted in). */
export function toHeldPlace(entry: CatalogEntry, h: HeldSeat): HeldPlace {
  const sectionId = lookupSeat(entry.index, h.seatId)?.sectionId ?? '';
  return { seatId: h.seatId, sectionId, expiresAt: new Date(h.expiresAt).toISOString() };
}

/** Who holds which seats of the event, and from where. */
export interface Holder {
  sessionId: string;
  /** The request's client address, grouped (limits/client-address.ts). */
  address: string;
}

/**
 * The store call of a hold of `seatIds` for `holder`: the hold time and limits of `rules`, and
 * the lone-seat checks when the event's rule is on.
 */
export function holdArgs(
  entry: CatalogEntry,
  holder: Holder,
  seatIds: string[],
  rules: HoldRules,
): HoldRequestArgs {
  return {
    eventId: entry.record.id,
    sessionId: holder.sessionId,
    seatIds,
    ttlMs: rules.holdTtlMs,
    maxSeats: rules.maxSeatsPerSession,
    address: holder.address,
    maxPerAddress: rules.maxSeatsPerAddress,
    ...loneRule(entry, seatIds),
  };
}

/** The lone-seat checks a hold of `seatIds` carries when the event's rule is on; else nothing. */
function loneRule(
  entry: CatalogEntry,
  seatIds: readonly string[],
): { loneSeatChecks?: LoneSeatCheck[] } {
  if (!entry.record.rules.singleSeatRule) return {};
  const { seatById } = entry.index;
  return { loneSeatChecks: loneSeatChecks(seatIds, (id) => seatById.get(id)) };
}

/** The error of a refused hold. */
export function refusal(
  outcome: Exclude<HoldOutcome, { ok: true } | { reason: 'NOT_READY' }>,
  rules: HoldRules,
): AppError {
  switch (outcome.reason) {
    case 'HOLD_LIMIT':
      return errors.holdLimit(rules.maxSeatsPerSession);
    case 'ADDRESS_LIMIT':
      return errors.addressLimit(rules.maxSeatsPerAddress);
    case 'SINGLE_SEAT':
      return errors.singleSeat(outcome.seats);
    case 'TAKEN':
      return errors.seatUnavailable(outcome.sold, outcome.held, outcome.sections);
    case 'QUEUE_ADMISSION_REQUIRED':
      return errors.admissionRequired();
  }
}
