// One description per route of the public API (docs/api.md): method, path, body, who may call
// it, and the schema its success reply must match. TicketmainClient.send runs them.
import type { Static, TSchema } from '@sinclair/typebox';
import {
  BestHoldResponse,
  conforms,
  EventDetail,
  EventList,
  firstMismatch,
  Health,
  HoldResponse,
  Order,
  Readiness,
  SeatSnapshot,
  SessionCreated,
} from '@ticketmain/protocol';
import type { BestHoldRequest, CreateEventRequest, EventRulesInput } from '@ticketmain/protocol';

/** Whose token goes in the Authorization header: nobody's, the buyer's session, the admin's. */
export type Auth = 'none' | 'session' | 'admin';

/** The success reply a call expects: a body of a schema, or none (204). */
export interface Expected<T> {
  /** Named in MalformedResponse: "order", "seat snapshot"... */
  readonly what: string;
  accepts(body: unknown): body is T;
  /** Where a body that is not accepted departs from the schema, for MalformedResponse. */
  mismatch?(body: unknown): string | undefined;
  /** Statuses besides 2xx that still carry this reply (GET /ready's 503). */
  readonly alsoOn?: readonly number[];
}

export interface ApiCall<T> {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly auth: Auth;
  readonly expected: Expected<T>;
}

function json<S extends TSchema>(what: string, schema: S, alsoOn?: number[]): Expected<Static<S>> {
  return {
    what,
    accepts: (body): body is Static<S> => conforms(schema, body),
    mismatch: (body) => firstMismatch(schema, body),
    alsoOn,
  };
}

/** A 204: nothing to check (a body, if any, is dropped). */
const nothing: Expected<null> = { what: 'empty reply', accepts: (_body): _body is null => true };

const enc = encodeURIComponent;
const eventPath = (eventId: string) => `/api/events/${enc(eventId)}`;

export const calls = {
  createSession: (): ApiCall<SessionCreated> => ({
    method: 'POST',
    path: '/api/sessions',
    auth: 'none',
    expected: json('session', SessionCreated),
  }),

  listEvents: (): ApiCall<EventList> => ({
    method: 'GET',
    path: '/api/events',
    auth: 'none',
    expected: json('event list', EventList),
  }),

  getEvent: (eventId: string): ApiCall<EventDetail> => ({
    method: 'GET',
    path: eventPath(eventId),
    auth: 'none',
    expected: json('event', EventDetail),
  }),

  /** With a session, `mine` lists its holds; without, it is empty. */
  getSeats: (eventId: string): ApiCall<SeatSnapshot> => ({
    method: 'GET',
    path: `${eventPath(eventId)}/seats`,
    auth: 'session',
    expected: json('seat snapshot', SeatSnapshot),
  }),

  hold: (eventId: string, seatIds: readonly string[]): ApiCall<HoldResponse> => ({
    method: 'POST',
    path: `${eventPath(eventId)}/holds`,
    body: { seatIds },
    auth: 'session',
    expected: json('hold', HoldResponse),
  }),

  /** The server picks and holds the best seats (409 NO_SEATS_AVAILABLE when none match). */
  holdBest: (eventId: string, request: BestHoldRequest): ApiCall<BestHoldResponse> => ({
    method: 'POST',
    path: `${eventPath(eventId)}/holds/best`,
    body: request,
    auth: 'session',
    expected: json('best-available hold', BestHoldResponse),
  }),

  /** More time for every hold of the session, once per hold (409 ALREADY_EXTENDED after). */
  extendHolds: (eventId: string): ApiCall<HoldResponse> => ({
    method: 'POST',
    path: `${eventPath(eventId)}/holds/extend`,
    auth: 'session',
    expected: json('hold extension', HoldResponse),
  }),

  release: (eventId: string, seatId: string): ApiCall<null> => ({
    method: 'DELETE',
    path: `${eventPath(eventId)}/holds/${enc(seatId)}`,
    auth: 'session',
    expected: nothing,
  }),

  /** 201 a new order; 200 the same order again, for the same key and seats. */
  placeOrder: (eventId: string, seatIds: readonly string[], key: string): ApiCall<Order> => ({
    method: 'POST',
    path: `${eventPath(eventId)}/orders`,
    body: { seatIds },
    headers: { 'idempotency-key': key },
    auth: 'session',
    expected: json('order', Order),
  }),

  getOrder: (orderId: string): ApiCall<Order> => ({
    method: 'GET',
    path: `/api/orders/${enc(orderId)}`,
    auth: 'session',
    expected: json('order', Order),
  }),

  createEvent: (request: CreateEventRequest): ApiCall<EventDetail> => ({
    method: 'POST',
    path: '/api/admin/events',
    body: request,
    auth: 'admin',
    expected: json('event', EventDetail),
  }),

  /** Changes the rules given; the others keep their value. */
  updateEventRules: (eventId: string, rules: EventRulesInput): ApiCall<EventDetail> => ({
    method: 'PATCH',
    path: `/api/admin/events/${enc(eventId)}`,
    body: { rules },
    auth: 'admin',
    expected: json('event', EventDetail),
  }),

  /** Clears the event's holds and sales. */
  resetEvent: (eventId: string): ApiCall<null> => ({
    method: 'POST',
    path: `/api/admin/events/${enc(eventId)}/reset`,
    auth: 'admin',
    expected: nothing,
  }),

  health: (): ApiCall<Health> => ({
    method: 'GET',
    path: '/health',
    auth: 'none',
    expected: json('health', Health),
  }),

  /** 200 ready, or 503 not-ready: both with the checks. */
  ready: (): ApiCall<Readiness> => ({
    method: 'GET',
    path: '/ready',
    auth: 'none',
    expected: json('readiness', Readiness, [503]),
  }),
};
