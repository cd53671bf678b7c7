// The one place where script replies ({code, ...}) become the contract's outcomes.
import type {
  ChangeOutcome,
  CheckoutOutcome,
  EventPosition,
  ExtendOutcome,
  HeldSeat,
  HoldOutcome,
  NotReady,
  ReleaseOutcome,
  SnapshotOutcome,
} from '../types.js';
import { ScriptCode } from './codes.js';
import { ReplyError, asArray, asInt, asPairs, asString, asStrings, splitReply } from './replies.js';

export const NOT_READY: NotReady = { ok: false, reason: 'NOT_READY' };

const heldSeats = (values: unknown[]): HeldSeat[] =>
  asPairs(values).map(([seatId, expiresAt]) => ({ seatId, expiresAt }));

function unexpected(code: ScriptCode, reply: unknown): never {
  throw new ReplyError(`code ${ScriptCode[code]} not expected here`, reply);
}

export function toHoldOutcome(reply: unknown): HoldOutcome {
  const { code, rest } = splitReply(reply);
  switch (code) {
    case ScriptCode.OK:
      return { ok: true, holds: heldSeats(rest) };
    case ScriptCode.NOT_READY:
      return NOT_READY;
    case ScriptCode.SEAT_UNAVAILABLE: {
      const sections = asStrings(rest[2]);
      const taken = { sold: asStrings(rest[0]), held: asStrings(rest[1]) };
      return sections.length > 0
        ? { ok: false, reason: 'TAKEN', ...taken, sections }
        : { ok: false, reason: 'TAKEN', ...taken };
    }
    case ScriptCode.HOLD_LIMIT:
      return { ok: false, reason: 'HOLD_LIMIT', wouldHold: asInt(rest[0]) };
    case ScriptCode.ADDRESS_LIMIT:
      return { ok: false, reason: 'ADDRESS_LIMIT', wouldHold: asInt(rest[0]) };
    case ScriptCode.SINGLE_SEAT:
      return { ok: false, reason: 'SINGLE_SEAT', seats: asStrings(rest[0]) };
    case ScriptCode.QUEUE_ADMISSION_REQUIRED:
      return { ok: false, reason: 'QUEUE_ADMISSION_REQUIRED' };
    default:
      return unexpected(code, reply);
  }
}

export function toReleaseOutcome(reply: unknown): ReleaseOutcome {
  const { code } = splitReply(reply);
  switch (code) {
    case ScriptCode.OK:
      return { ok: true };
    case ScriptCode.NOT_READY:
      return NOT_READY;
    case ScriptCode.HOLD_NOT_FOUND:
      return { ok: false, reason: 'HOLD_NOT_FOUND' };
    case ScriptCode.NOT_OWNER:
      return { ok: false, reason: 'NOT_OWNER' };
    case ScriptCode.CHECKOUT_IN_PROGRESS:
      return { ok: false, reason: 'CHECKOUT_IN_PROGRESS' };
    default:
      return unexpected(code, reply);
  }
}

export function toCheckoutOutcome(reply: unknown): CheckoutOutcome {
  const { code, rest } = splitReply(reply);
  switch (code) {
    case ScriptCode.OK:
      return { ok: true, previous: heldSeats(rest) };
    case ScriptCode.NOT_READY:
      return NOT_READY;
    case ScriptCode.SEAT_SOLD:
      return { ok: false, reason: 'SEAT_SOLD', seats: asStrings(rest[0]) };
    case ScriptCode.SEAT_NOT_HELD:
      return { ok: false, reason: 'SEAT_NOT_HELD', seats: asStrings(rest[0]) };
    case ScriptCode.CHECKOUT_IN_PROGRESS:
      return { ok: false, reason: 'CHECKOUT_IN_PROGRESS', seats: asStrings(rest[0]) };
    default:
      return unexpected(code, reply);
  }
}

export function toExtendOutcome(reply: unknown): ExtendOutcome {
  const { code, rest } = splitReply(reply);
  switch (code) {
    case ScriptCode.OK:
      return { ok: true, holds: heldSeats(rest) };
    case ScriptCode.NOT_READY:
      return NOT_READY;
    case ScriptCode.HOLD_NOT_FOUND:
      return { ok: false, reason: 'HOLD_NOT_FOUND' };
    case ScriptCode.ALREADY_EXTENDED:
      return { ok: false, reason: 'ALREADY_EXTENDED' };
    case ScriptCode.CHECKOUT_IN_PROGRESS:
      return { ok: false, reason: 'CHECKOUT_IN_PROGRESS', seats: asStrings(rest[0]) };
    default:
      return unexpected(code, reply);
  }
}

export function toChangeOutcome(reply: unknown): ChangeOutcome {
  const { code, rest } = splitReply(reply);
  if (code === ScriptCode.NOT_READY) return NOT_READY;
  if (code !== ScriptCode.OK) return unexpected(code, reply);
  return { ok: true, changed: asInt(rest[0]) };
}

export function toSnapshotOutcome(reply: unknown): SnapshotOutcome {
  const { code, rest } = splitReply(reply);
  if (code === ScriptCode.NOT_READY) return NOT_READY;
  if (code !== ScriptCode.OK) return unexpected(code, reply);
  const [seq, held, sold, mine, epoch] = rest;
  return {
    ok: true,
    seq: asInt(seq),
    epoch: asString(epoch),
    held: asStrings(held),
    sold: asStrings(sold),
    mine: heldSeats(asArray(mine)),
  };
}

/** The event's sequence number and epoch, null when it is not ready. */
export function toSequence(reply: unknown): EventPosition | null {
  const { code, rest } = splitReply(reply);
  if (code === ScriptCode.NOT_READY) return null;
  if (code !== ScriptCode.OK) return unexpected(code, reply);
  return { seq: asInt(rest[0]), epoch: asString(rest[1]) };
}

/** Counts of one event, null when it is not ready. */
export function toCounts(reply: unknown): { sold: number; held: number } | null {
  const { code, rest } = splitReply(reply);
  if (code === ScriptCode.NOT_READY) return null;
  if (code !== ScriptCode.OK) return unexpected(code, reply);
  return { sold: asInt(rest[0]), held: asInt(rest[1]) };
}

/** For scripts that answer nothing (restore, reset): OK, or NOT_READY when it is allowed. */
export function expectDone(reply: unknown, allowNotReady = false): void {
  const { code } = splitReply(reply);
  if (code === ScriptCode.OK || (allowNotReady && code === ScriptCode.NOT_READY)) return;
  unexpected(code, reply);
}
