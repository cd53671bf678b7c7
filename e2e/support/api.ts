// The HTTP API, read by the tests for seat coordinates and to check invariants, and used by the
// "other buyers" that are not browsers (the restart test's buyer, the stadium's load).
import { ADMIN_TOKEN } from './server.js';

// The contract's own types, not a copy of them.
import type { EventDetail, Seat as SeatInfo } from '@ticketmain/protocol';
export type { EventDetail, SeatInfo };

export interface SeatsSnapshot {
  eventId: string;
  seq: number;
  held: string[];
  sold: string[];
  mine?: { seatId: string; expiresAt: string }[];
}

export interface Order {
  orderId: string;
  eventId: string;
  status: string;
  seats: { seatId: string; sectionId: string; price: number }[];
  total: number;
  currency: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${body.slice(0, 300)}`);
  }
}

async function call<T>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; data: T }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const reply = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await reply.text();
  if (reply.status >= 400) throw new ApiError(reply.status, text, `${method} ${path}`);
  return { status: reply.status, data: (text === '' ? null : JSON.parse(text)) as T };
}

export interface EventSummary {
  id: string;
  name: string;
  seatCount: number;
  availableCount: number;
}

export async function listEvents(baseUrl: string): Promise<EventSummary[]> {
  return (await call<EventSummary[]>(baseUrl, 'GET', '/api/events')).data;
}

const eventCache = new Map<string, Promise<EventDetail>>();

/** GET /api/events/:id (cached: events never change). */
export function getEvent(baseUrl: string, eventId: string): Promise<EventDetail> {
  const key = `${baseUrl} ${eventId}`;
  let event = eventCache.get(key);
  if (event === undefined) {
    event = call<EventDetail>(baseUrl, 'GET', `/api/events/${eventId}`).then((r) => r.data);
    eventCache.set(key, event);
  }
  return event;
}

export async function getSeats(
  baseUrl: string,
  eventId: string,
  token?: string,
): Promise<SeatsSnapshot> {
  return (await call<SeatsSnapshot>(baseUrl, 'GET', `/api/events/${eventId}/seats`, { token }))
    .data;
}

export async function getOrder(baseUrl: string, token: string, orderId: string): Promise<Order> {
  return (await call<Order>(baseUrl, 'GET', `/api/orders/${orderId}`, { token })).data;
}

/** POST /api/admin/events. */
export async function createEvent(baseUrl: string, body: unknown): Promise<EventDetail> {
  return (
    await call<EventDetail>(baseUrl, 'POST', '/api/admin/events', { token: ADMIN_TOKEN, body })
  ).data;
}

/** A buyer that is not a browser: its own session, straight on the API. */
export class ApiBuyer {
  private constructor(
    private readonly baseUrl: string,
    readonly token: string,
  ) {}

  static async create(baseUrl: string): Promise<ApiBuyer> {
    const { data } = await call<{ token: string }>(baseUrl, 'POST', '/api/sessions');
    return new ApiBuyer(baseUrl, data.token);
  }

  async hold(eventId: string, seatIds: string[]): Promise<void> {
    await call(this.baseUrl, 'POST', `/api/events/${eventId}/holds`, {
      token: this.token,
      body: { seatIds },
    });
  }

  async release(eventId: string, seatId: string): Promise<void> {
    await call(this.baseUrl, 'DELETE', `/api/events/${eventId}/holds/${seatId}`, {
      token: this.token,
    });
  }

  async order(eventId: string, seatIds: string[], key: string): Promise<Order> {
    const reply = await call<Order>(this.baseUrl, 'POST', `/api/events/${eventId}/orders`, {
      token: this.token,
      body: { seatIds },
      headers: { 'idempotency-key': key },
    });
    return reply.data;
  }
}
