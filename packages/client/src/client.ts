// A typed client of the Ticketmain HTTP API over fetch (browsers and Node 20): one method per
// route, each success reply checked against the protocol's schema before it is returned, each
// refusal thrown as an ApiError. `request` is the unchecked layer beneath, for anything else.
import type {
  BestHoldRequest,
  BestHoldResponse,
  Buyer,
  CheckIn,
  CheckInSummary,
  CreateEventRequest,
  EventDetail,
  EventReport,
  EventRulesInput,
  EventList,
  Health,
  GaHoldRequest,
  HoldResponse,
  Order,
  Queue,
  QueueAudit,
  QueueEntry,
  QueuePatchRequest,
  QueueSettingsRequest,
  Readiness,
  Revocations,
  SeatSnapshot,
  SessionCreated,
  TicketKey,
  TicketKeySet,
  WaitlistEntry,
  WaitlistJoinRequest,
} from '@ticketmain/protocol';
import { calls, type ApiCall, type Auth } from './calls.js';
import { ApiError, MalformedResponse, NetworkError } from './errors.js';

export interface ClientOptions {
  /** The server's origin, e.g. http://127.0.0.1:3000; '' (the default): this page's origin. */
  baseUrl?: string;
  /** A buyer's session token (createSession), sent to the routes of a session. */
  token?: string;
  /** The server's ADMIN_TOKEN, sent to the admin routes. */
  adminToken?: string;
  /** A scanner token of an event (or the ADMIN_TOKEN), sent to check-in. */
  scannerToken?: string;
  /** Default: the global fetch (looked up at each call). */
  fetch?: typeof fetch;
  /** Each request's time limit in ms; a request that takes longer fails with NetworkError. */
  timeoutMs?: number;
}

export interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is (content-type application/json unless `headers` say otherwise). */
  text?: string;
  headers?: Readonly<Record<string, string>>;
  /** Default 'session': the client's token, if it has one. */
  auth?: Auth;
}

export interface RawReply {
  status: number;
  headers: Headers;
  contentType: string | null;
  /** Parsed JSON when the reply says JSON and parses, else its text ('' when empty). */
  body: unknown;
}

/** A checked success reply of `send`. */
export interface ApiReply<T> {
  status: number;
  headers: Headers;
  data: T;
}

export class TicketmainClient {
  readonly baseUrl: string;
  readonly token: string | undefined;

  constructor(private readonly options: ClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    this.token = options.token;
  }

  /** The same client checking in at the gates with `scannerToken`. */
  withScannerToken(scannerToken: string): TicketmainClient {
    return new TicketmainClient({ ...this.options, scannerToken });
  }

  /** The same client acting as the buyer of `token`. */
  withToken(token: string): TicketmainClient {
    return new TicketmainClient({ ...this.options, token });
  }

  createSession(): Promise<SessionCreated> {
    return this.data(calls.createSession());
  }

  /** A client acting as a new buyer: a session created, its token attached. */
  async newBuyer(): Promise<TicketmainClient> {
    return this.withToken((await this.createSession()).token);
  }

  listEvents(): Promise<EventList> {
    return this.data(calls.listEvents());
  }

  getEvent(eventId: string): Promise<EventDetail> {
    return this.data(calls.getEvent(eventId));
  }

  getSeats(eventId: string): Promise<SeatSnapshot> {
    return this.data(calls.getSeats(eventId));
  }

  /** All the seats or none; holding a seat already held by this session keeps its expiry. */
  hold(eventId: string, seatIds: readonly string[]): Promise<HoldResponse> {
    return this.data(calls.hold(eventId, seatIds));
  }

  /** Holds places in general-admission sections; each gets a place id that works as a seat id. */
  holdPlaces(eventId: string, ga: readonly GaHoldRequest[]): Promise<HoldResponse> {
    return this.data(calls.holdPlaces(eventId, ga));
  }

  /** The best `quantity` seats, picked and held by the server in one step. */
  holdBest(eventId: string, request: BestHoldRequest): Promise<BestHoldResponse> {
    return this.data(calls.holdBest(eventId, request));
  }

  /** Every hold of the session gets the hold time again from now, once per hold. */
  extendHolds(eventId: string): Promise<HoldResponse> {
    return this.data(calls.extendHolds(eventId));
  }

  async release(eventId: string, seatId: string): Promise<void> {
    await this.data(calls.release(eventId, seatId));
  }

  /** The same key and seats again answer the same order: a retry never buys twice. */
  placeOrder(
    eventId: string,
    seatIds: readonly string[],
    idempotencyKey: string,
    buyer?: Buyer,
  ): Promise<Order> {
    return this.data(calls.placeOrder(eventId, seatIds, idempotencyKey, buyer));
  }

  /** The session's order; with `key` (from the order's url), anybody's who has the link. */
  getOrder(orderId: string, key?: string): Promise<Order> {
    return this.data(calls.getOrder(orderId, key));
  }

  /**
   * Cancels the session's order (or, with `key`, the order of that link) with a full refund,
   * while the event's buyerCancellationUntil is ahead.
   */
  cancelOrder(orderId: string, key?: string): Promise<Order> {
    return this.data(calls.cancelOrder(orderId, key));
  }

  /** The organiser cancels any order, with `refund` cents back (by default the total). */
  adminCancelOrder(orderId: string, refund?: number): Promise<Order> {
    return this.data(calls.adminCancelOrder(orderId, refund));
  }

  /** The public keys of ticket codes (JWKS), to verify codes offline. */
  ticketKeys(): Promise<TicketKeySet> {
    return this.data(calls.ticketKeys());
  }

  /** Admits the ticket once; the same nonce again answers the first admission. */
  checkIn(eventId: string, code: string, nonce?: string): Promise<CheckIn> {
    return this.data(calls.checkIn(eventId, code, nonce));
  }

  /** How many of the event's live tickets are checked in (scanner or admin). */
  checkInSummary(eventId: string): Promise<CheckInSummary> {
    return this.data(calls.checkInSummary(eventId));
  }

  /** A scanner token that may check in tickets of this event only. */
  async createScannerToken(eventId: string): Promise<string> {
    return (await this.data(calls.createScannerToken(eventId))).token;
  }

  revocations(eventId: string, since: string): Promise<Revocations> {
    return this.data(calls.revocations(eventId, since));
  }

  /** New orders get the new key; the old keys stay listed. */
  rotateTicketKey(): Promise<TicketKey> {
    return this.data(calls.rotateTicketKey());
  }

  createEvent(request: CreateEventRequest): Promise<EventDetail> {
    return this.data(calls.createEvent(request));
  }

  updateEventRules(eventId: string, rules: EventRulesInput): Promise<EventDetail> {
    return this.data(calls.updateEventRules(eventId, rules));
  }

  async resetEvent(eventId: string): Promise<void> {
    await this.data(calls.resetEvent(eventId));
  }

  eventReport(eventId: string): Promise<EventReport> {
    return this.data(calls.eventReport(eventId));
  }

  /** Creates or replaces the event's waiting room (admin token). */
  configureQueue(eventId: string, settings: QueueSettingsRequest): Promise<Queue> {
    return this.data(calls.configureQueue(eventId, settings));
  }

  /** Changes the waiting room's rate or pauses it (admin token). */
  patchQueue(eventId: string, patch: QueuePatchRequest): Promise<Queue> {
    return this.data(calls.patchQueue(eventId, patch));
  }

  /** Joins the waiting room (idempotent); `nonce` is the proof of work when the queue asks one. */
  joinQueue(eventId: string, nonce?: string): Promise<QueueEntry> {
    return this.data(calls.joinQueue(eventId, nonce));
  }

  /** The session's place in the waiting room. */
  queueEntry(eventId: string): Promise<QueueEntry> {
    return this.data(calls.queueEntry(eventId));
  }

  /** Joins a sold-out event's waiting list (or answers the session's entry again). */
  joinWaitlist(eventId: string, request: WaitlistJoinRequest): Promise<WaitlistEntry> {
    return this.data(calls.joinWaitlist(eventId, request));
  }

  /** The session's waiting-list entry: waiting, offered (with its holds), purchased, expired. */
  waitlistEntry(eventId: string): Promise<WaitlistEntry> {
    return this.data(calls.waitlistEntry(eventId));
  }

  /** The draw's seed and the pre-queue's numbers, once drawn. */
  queueAudit(eventId: string): Promise<QueueAudit> {
    return this.data(calls.queueAudit(eventId));
  }

  health(): Promise<Health> {
    return this.data(calls.health());
  }

  /** Resolves for ready and not-ready alike: look at `status`. */
  ready(): Promise<Readiness> {
    return this.data(calls.ready());
  }

  /** Runs a call: its checked reply with status and headers, or ApiError / MalformedResponse. */
  async send<T>(call: ApiCall<T>): Promise<ApiReply<T>> {
    const headers = { accept: 'application/json', ...call.headers };
    const reply = await this.request(call.method, call.path, {
      body: call.body,
      headers,
      auth: call.auth,
    });
    const { expected } = call;
    const { status, body } = reply;
    const success = (status >= 200 && status < 300) || expected.alsoOn?.includes(status) === true;
    if (!success) throw ApiError.of(status, body);
    const data = status === 204 ? null : body;
    if (!expected.accepts(data)) {
      throw new MalformedResponse(expected.what, status, expected.mismatch?.(data));
    }
    return { status, headers: reply.headers, data };
  }

  /** One request, unchecked: any status is a reply; only a request that got none throws. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<RawReply> {
    const headers: Record<string, string> = { ...options.headers };
    const token = this.tokenFor(options.auth ?? 'session');
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    let body = options.text;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const { timeoutMs } = this.options;
    const fetchImpl = this.options.fetch ?? globalThis.fetch;
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(this.baseUrl + path, {
        method,
        headers,
        body: body ?? null,
        signal: timeoutMs === undefined ? null : AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (cause) {
      throw new NetworkError({ cause });
    }
    const contentType = response.headers.get('content-type');
    return {
      status: response.status,
      headers: response.headers,
      contentType,
      body: contentType?.includes('json') === true ? parseJson(text) : text,
    };
  }

  private async data<T>(call: ApiCall<T>): Promise<T> {
    return (await this.send(call)).data;
  }

  private tokenFor(auth: Auth): string | undefined {
    if (auth === 'session') return this.token;
    if (auth === 'admin') return this.options.adminToken;
    if (auth === 'scanner') return this.options.scannerToken;
    return undefined;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
