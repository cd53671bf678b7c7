// Response bodies of the HTTP API, checked against the contract before the app trusts them.
import type {
  EventDetail,
  EventSummary,
  HoldResponse,
  MyHold,
  Order,
  SeatSnapshot,
  SessionCreated,
} from '@ticketmain/protocol';
import { hasFields, isArrayOf, isNumber, isRecord, isString, isStringArray } from './guards';

export class MalformedResponse extends Error {
  constructor(what: string) {
    super(`The server sent a malformed ${what}`);
    this.name = 'MalformedResponse';
  }
}

type Check = (v: unknown) => boolean;

function expect<T>(value: unknown, what: string, ok: boolean): T {
  if (!ok) throw new MalformedResponse(what);
  return value as T;
}

const summaryFields: Record<string, Check> = {
  id: isString,
  name: isString,
  venueName: isString,
  startsAt: isString,
  currency: isString,
  seatCount: isNumber,
};

const isSummary = (v: unknown): v is EventSummary =>
  hasFields(v, { ...summaryFields, availableCount: isNumber });

const isSeat = (v: unknown): boolean =>
  hasFields(v, {
    id: isString,
    sectionId: isString,
    row: isString,
    number: isNumber,
    x: isNumber,
    y: isNumber,
  });

const isSection = (v: unknown): boolean =>
  hasFields(v, { id: isString, name: isString, price: isNumber });

const isStage = (v: unknown): boolean =>
  hasFields(v, { x: isNumber, y: isNumber, width: isNumber, height: isNumber, label: isString });

const isHold = (v: unknown): v is MyHold => hasFields(v, { seatId: isString, expiresAt: isString });

export function parseSession(value: unknown): SessionCreated {
  return expect(value, 'session', hasFields(value, { sessionId: isString, token: isString }));
}

export function parseEventList(value: unknown): EventSummary[] {
  return expect(value, 'event list', isArrayOf(value, isSummary));
}

export function parseEventDetail(value: unknown): EventDetail {
  const ok =
    hasFields(value, {
      ...summaryFields,
      stage: isStage,
      sections: (s) => Array.isArray(s) && s.every(isSection),
    }) &&
    Array.isArray(value.seats) &&
    value.seats.every(isSeat);
  return expect(value, 'event', ok);
}

export function parseSeatSnapshot(value: unknown): SeatSnapshot {
  const ok = hasFields(value, {
    eventId: isString,
    seq: isNumber,
    held: isStringArray,
    sold: isStringArray,
  });
  const mine = isRecord(value) ? (value.mine ?? []) : null;
  return expect({ ...(value as object), mine }, 'seat snapshot', ok && isArrayOf(mine, isHold));
}

export function parseHoldResponse(value: unknown): HoldResponse {
  return expect(value, 'hold', hasFields(value, { holds: (h) => isArrayOf(h, isHold) }));
}

export function parseOrder(value: unknown): Order {
  const ok = hasFields(value, {
    orderId: isString,
    eventId: isString,
    status: (s) => s === 'CONFIRMED',
    seats: (s) =>
      Array.isArray(s) &&
      s.every((seat) =>
        hasFields(seat, { seatId: isString, sectionId: isString, price: isNumber }),
      ),
    total: isNumber,
    currency: isString,
    createdAt: isString,
  });
  return expect(value, 'order', ok);
}
