// One description per route of the public API (docs/api.md): method, path, body, who may call
// it, and the schema its success reply must match. TicketmainClient.send runs them.
import type { Static, TSchema } from '@sinclair/typebox';
import {
  CheckIn,
  CheckInSummary,
  BestHoldResponse,
  conforms,
  EventDetail,
  EventReport,
  EventList,
  firstMismatch,
  Health,
  HoldResponse,
  Order,
  Queue,
  QueueAudit,
  QueueEntry,
  Readiness,
  Revocations,
  ScannerToken,
  SeatSnapshot,
  SessionCreated,
  TicketKey,
  TicketKeySet,
  WaitlistEntry,
} from '@ticketmain/protocol';
import type {
  BestHoldRequest,
  GaHoldRequest,
  Buyer,
  CreateEventRequest,
  EventRulesInput,
  QueuePatchRequest,
  QueueSettingsRequest,
  WaitlistJoinRequest,
} from '@ticketmain/protocol';

/** Whose token goes in the Authorization header: nobody's, the buyer's session, the admin's. */
export type Auth = 'none' | 'session' | 'admin' | 'scanner';

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
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
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

  /** Places in general-admission sections, by quantity (409 SEAT_UNAVAILABLE with `sections`). */
  holdPlaces: (eventId: string, ga: readonly GaHoldRequest[]): ApiCall<HoldResponse> => ({
    method: 'POST',
    path: `${eventPath(eventId)}/holds`,
    body: { ga },
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
  placeOrder: (
    eventId: string,
    seatIds: readonly string[],
    key: string,
    buyer?: Buyer,
  ): ApiCall<Order> => ({
    method: 'POST',
    path: `${eventPath(eventId)}/orders`,
    body: buyer === undefined ? { seatIds } : { seatIds, buyer },
    headers: { 'idempotency-key': key },
    auth: 'session',
    expected: json('order', Order),
  }),

  /** With `key` (from the order's url), no session is needed. */
  getOrder: (orderId: string, key?: string): ApiCall<Order> => ({
    method: 'GET',
    path: `/api/orders/${enc(orderId)}${key === undefined ? '' : `?key=${enc(key)}`}`,
    auth: key === undefined ? 'session' : 'none',
    expected: json('order', Order),
  }),

  /** The buyer's cancel: by the session, or with the `key` of the order's url. */
  cancelOrder: (orderId: string, key?: string): ApiCall<Order> => ({
    method: 'POST',
    path: `/api/orders/${enc(orderId)}/cancel${key === undefined ? '' : `?key=${enc(key)}`}`,
    auth: key === undefined ? 'session' : 'none',
    expected: json('order', Order),
  }),

  /** The organiser's cancel; `refund` in cents, by default the total. */
  adminCancelOrder: (orderId: string, refund?: number): ApiCall<Order> => ({
    method: 'POST',
    path: `/api/admin/orders/${enc(orderId)}/cancel`,
    auth: 'admin',
    body: refund === undefined ? {} : { refund },
    expected: json('order', Order),
  }),

  ticketKeys: (): ApiCall<TicketKeySet> => ({
    method: 'GET',
    path: '/api/ticket-keys',
    auth: 'none',
    expected: json('ticket key set', TicketKeySet),
  }),

  /** 201 admitted; 200 the same nonce's first answer. */
  checkIn: (eventId: string, code: string, nonce?: string): ApiCall<CheckIn> => ({
    method: 'POST',
    path: `${eventPath(eventId)}/checkins`,
    body: nonce === undefined ? { code } : { code, nonce },
    auth: 'scanner',
    expected: json('check-in', CheckIn),
  }),

  checkInSummary: (eventId: string): ApiCall<CheckInSummary> => ({
    method: 'GET',
    path: `${eventPath(eventId)}/checkins/summary`,
    auth: 'scanner',
    expected: json('check-in summary', CheckInSummary),
  }),

  createScannerToken: (eventId: string): ApiCall<ScannerToken> => ({
    method: 'POST',
    path: `/api/admin/events/${enc(eventId)}/scanner-tokens`,
    auth: 'admin',
    expected: json('scanner token', ScannerToken),
  }),

  /** A scanner token of the event, or the ADMIN_TOKEN as `scannerToken`. */
  revocations: (eventId: string, since: string): ApiCall<Revocations> => ({
    method: 'GET',
    path: `/api/admin/events/${enc(eventId)}/revocations?since=${enc(since)}`,
    auth: 'scanner',
    expected: json('revocations', Revocations),
  }),

  rotateTicketKey: (): ApiCall<TicketKey> => ({
    method: 'POST',
    path: '/api/admin/ticket-keys',
    auth: 'admin',
    expected: json('ticket key', TicketKey),
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

  /** Seats by section, revenue and orders per minute (JSON; the CSV is a download). */
  eventReport: (eventId: string): ApiCall<EventReport> => ({
    method: 'GET',
    path: `/api/admin/events/${enc(eventId)}/report`,
    auth: 'admin',
    expected: json('report', EventReport),
  }),

  /** Creates or replaces the event's waiting room (admin); 409 QUEUE_STARTED once sales began. */
  configureQueue: (eventId: string, settings: QueueSettingsRequest): ApiCall<Queue> => ({
    method: 'PUT',
    path: `/api/admin/events/${enc(eventId)}/queue`,
    body: settings,
    auth: 'admin',
    expected: json('queue', Queue),
  }),

  /** The waiting room's rate or pause (admin). */
  patchQueue: (eventId: string, patch: QueuePatchRequest): ApiCall<Queue> => ({
    method: 'PATCH',
    path: `/api/admin/events/${enc(eventId)}/queue`,
    body: patch,
    auth: 'admin',
    expected: json('queue', Queue),
  }),

  /** 201 a new entry, 200 the session's entry again; `nonce`: the proof when powBits > 0. */
  joinQueue: (eventId: string, nonce?: string): ApiCall<QueueEntry> => ({
    method: 'POST',
    path: `${eventPath(eventId)}/queue`,
    body: nonce === undefined ? {} : { nonce },
    auth: 'session',
    expected: json('queue entry', QueueEntry),
  }),

  queueEntry: (eventId: string): ApiCall<QueueEntry> => ({
    method: 'GET',
    path: `${eventPath(eventId)}/queue`,
    auth: 'session',
    expected: json('queue entry', QueueEntry),
  }),

  /** A sold-out event's waiting list: 201 a new entry, 200 the session's entry again. */
  joinWaitlist: (eventId: string, request: WaitlistJoinRequest): ApiCall<WaitlistEntry> => ({
    method: 'POST',
    path: `${eventPath(eventId)}/waitlist`,
    body: request,
    auth: 'session',
    expected: json('waiting-list entry', WaitlistEntry),
  }),

  waitlistEntry: (eventId: string): ApiCall<WaitlistEntry> => ({
    method: 'GET',
    path: `${eventPath(eventId)}/waitlist`,
    auth: 'session',
    expected: json('waiting-list entry', WaitlistEntry),
  }),

  /** After the draw: the seed and the pre-queue's numbers (domain/draw.ts recomputes them). */
  queueAudit: (eventId: string): ApiCall<QueueAudit> => ({
    method: 'GET',
    path: `${eventPath(eventId)}/queue/audit`,
    auth: 'none',
    expected: json('queue audit', QueueAudit),
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
