// WebSocket frames from the server, parsed into the protocol's ServerMessage union.
import type { SeatChange, SeatStatus, ServerMessage } from '@ticketmain/protocol';
import { hasFields, isArrayOf, isNumber, isRecord, isString, isStringArray } from './guards';

const STATUSES: ReadonlySet<unknown> = new Set<SeatStatus>(['AVAILABLE', 'HELD', 'SOLD']);

function isSeatChange(value: unknown): value is SeatChange {
  return hasFields(value, {
    seq: isNumber,
    seatId: isString,
    status: (s) => STATUSES.has(s),
  });
}

/** The message, or null for anything that is not a well-formed server message. */
export function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  switch (value.type) {
    case 'snapshot':
      return hasFields(value, {
        eventId: isString,
        seq: isNumber,
        held: isStringArray,
        sold: isStringArray,
      })
        ? (value as ServerMessage)
        : null;
    case 'seats':
      return hasFields(value, {
        eventId: isString,
        changes: (c) => isArrayOf(c, isSeatChange),
      })
        ? (value as ServerMessage)
        : null;
    case 'resync':
      return isString(value.eventId) ? (value as ServerMessage) : null;
    case 'error':
      return hasFields(value, { code: isString, message: isString })
        ? (value as ServerMessage)
        : null;
    default:
      return null;
  }
}
