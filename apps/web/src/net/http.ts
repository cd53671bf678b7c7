// The HTTP API client: one method per route, problem+json turned into ApiError, and the session
// token attached (and renewed once when the server no longer accepts it).
import type {
  EventDetail,
  EventSummary,
  HoldResponse,
  Order,
  SeatSnapshot,
  SessionCreated,
} from '@ticketmain/protocol';
import type { ServerClock } from './clock';
import { isRecord, isString, isStringArray } from './guards';
import {
  parseEventDetail,
  parseEventList,
  parseHoldResponse,
  parseOrder,
  parseSeatSnapshot,
  parseSession,
} from './parse';
import type { TokenSource } from './session';

/** A refusal (status and problem code) or, with status null, a request that got no answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number | null,
    readonly code: string,
    readonly detail: string,
    readonly seats: readonly string[] = [],
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  clock?: ServerClock;
}

type Auth = 'none' | 'optional' | 'required';

interface Call {
  method?: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  auth: Auth;
}

const enc = encodeURIComponent;

export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private tokens: TokenSource | null = null;

  constructor(private readonly options: ApiClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** Authenticated calls take their token from here (set once the session manager exists). */
  useTokens(tokens: TokenSource): void {
    this.tokens = tokens;
  }

  async createSession(): Promise<SessionCreated> {
    return parseSession(await this.call({ method: 'POST', path: '/api/sessions', auth: 'none' }));
  }

  async listEvents(): Promise<EventSummary[]> {
    return parseEventList(await this.call({ path: '/api/events', auth: 'none' }));
  }

  async getEvent(eventId: string): Promise<EventDetail> {
    return parseEventDetail(await this.call({ path: `/api/events/${enc(eventId)}`, auth: 'none' }));
  }

  async getSeats(eventId: string): Promise<SeatSnapshot> {
    const path = `/api/events/${enc(eventId)}/seats`;
    return parseSeatSnapshot(await this.call({ path, auth: 'optional' }));
  }

  async hold(eventId: string, seatIds: readonly string[]): Promise<HoldResponse> {
    const path = `/api/events/${enc(eventId)}/holds`;
    const body = { seatIds };
    return parseHoldResponse(await this.call({ method: 'POST', path, body, auth: 'required' }));
  }

  async release(eventId: string, seatId: string): Promise<void> {
    const path = `/api/events/${enc(eventId)}/holds/${enc(seatId)}`;
    await this.call({ method: 'DELETE', path, auth: 'required' });
  }

  async placeOrder(eventId: string, seatIds: readonly string[], key: string): Promise<Order> {
    const path = `/api/events/${enc(eventId)}/orders`;
    const headers = { 'idempotency-key': key };
    const body = { seatIds };
    return parseOrder(await this.call({ method: 'POST', path, body, headers, auth: 'required' }));
  }

  private async call(call: Call): Promise<unknown> {
    if (call.auth === 'none' || this.tokens === null) return this.send(call, null);
    const token = await this.tokens.token();
    try {
      return await this.send(call, token);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      // The token expired or the server's secret changed: become a new buyer, once.
      return this.send(call, await this.tokens.renew(token));
    }
  }

  private async send(call: Call, token: string | null): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const sentAt = Date.now();
    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + call.path, {
        method: call.method ?? 'GET',
        headers,
        body: call.body === undefined ? null : JSON.stringify(call.body),
      });
    } catch {
      throw new ApiError(
        null,
        'NETWORK',
        'The server could not be reached. Check your connection.',
      );
    }
    this.options.clock?.observe(response.headers.get('date'), sentAt, Date.now());
    if (response.status === 204) return null;
    const body = await readJson(response);
    if (!response.ok) throw problemError(response.status, body);
    return body;
  }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return null;
  }
}

function problemError(status: number, body: unknown): ApiError {
  if (isRecord(body) && isString(body.detail)) {
    const code = isString(body.code) ? body.code : 'UNKNOWN';
    const seats = isStringArray(body.seats) ? body.seats : [];
    return new ApiError(status, code, body.detail, seats);
  }
  return new ApiError(status, 'UNKNOWN', `The server answered ${status}. Please try again.`);
}
