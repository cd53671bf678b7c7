// The HTTP API, read by the tests for seat coordinates and to check invariants, and used by the
// "other buyers" that are not browsers (the restart test's buyer, the stadium's load): calls of
// @ticketmain/client, whose replies are checked against the contract.
import {
  TicketmainClient,
  type CreateEventRequest,
  type EventDetail,
  type EventSummary,
  type Order,
  type Seat as SeatInfo,
  type SeatSnapshot,
} from '@ticketmain/client';
import type {
  Queue,
  QueueEntry,
  QueuePatchRequest,
  QueueSettingsRequest,
} from '@ticketmain/protocol';
import { ADMIN_TOKEN } from './server.js';

export type { EventDetail, EventSummary, Order, QueueEntry, SeatInfo, SeatSnapshot };

/** A real server under a browser may be slow, never silent: a call that hangs fails the test. */
const TIMEOUT_MS = 120_000;

function client(baseUrl: string, token?: string): TicketmainClient {
  return new TicketmainClient({ baseUrl, token, adminToken: ADMIN_TOKEN, timeoutMs: TIMEOUT_MS });
}

export function listEvents(baseUrl: string): Promise<EventSummary[]> {
  return client(baseUrl).listEvents();
}

const eventCache = new Map<string, Promise<EventDetail>>();

/** GET /api/events/:id (cached: events never change). */
export function getEvent(baseUrl: string, eventId: string): Promise<EventDetail> {
  const key = `${baseUrl} ${eventId}`;
  let event = eventCache.get(key);
  if (event === undefined) {
    event = client(baseUrl).getEvent(eventId);
    eventCache.set(key, event);
  }
  return event;
}

export function getSeats(baseUrl: string, eventId: string, token?: string): Promise<SeatSnapshot> {
  return client(baseUrl, token).getSeats(eventId);
}

export function getOrder(baseUrl: string, token: string, orderId: string): Promise<Order> {
  return client(baseUrl, token).getOrder(orderId);
}

/** POST /api/admin/events. */
export function createEvent(baseUrl: string, request: CreateEventRequest): Promise<EventDetail> {
  return client(baseUrl).createEvent(request);
}

/** PUT /api/admin/events/:eventId/queue. */
export function configureQueue(
  baseUrl: string,
  eventId: string,
  settings: QueueSettingsRequest,
): Promise<Queue> {
  return client(baseUrl).configureQueue(eventId, settings);
}

/** PATCH /api/admin/events/:eventId/queue. */
export function patchQueue(baseUrl: string, eventId: string, patch: QueuePatchRequest) {
  return client(baseUrl).patchQueue(eventId, patch);
}

/** The waiting-room entry of the session whose token this is. */
export function queueEntry(baseUrl: string, token: string, eventId: string): Promise<QueueEntry> {
  return client(baseUrl, token).queueEntry(eventId);
}

/** A hold straight on the API with a browser buyer's own token. */
export async function holdAs(baseUrl: string, token: string, eventId: string, seatIds: string[]) {
  return client(baseUrl, token).hold(eventId, seatIds);
}

export function releaseAs(baseUrl: string, token: string, eventId: string, seatId: string) {
  return client(baseUrl, token).release(eventId, seatId);
}

/** A buyer that is not a browser: its own session, straight on the API. */
export class ApiBuyer {
  private constructor(private readonly api: TicketmainClient) {}

  static async create(baseUrl: string): Promise<ApiBuyer> {
    return new ApiBuyer(await client(baseUrl).newBuyer());
  }

  get token(): string {
    return this.api.token ?? '';
  }

  async hold(eventId: string, seatIds: string[]): Promise<void> {
    await this.api.hold(eventId, seatIds);
  }

  release(eventId: string, seatId: string): Promise<void> {
    return this.api.release(eventId, seatId);
  }

  order(eventId: string, seatIds: string[], key: string): Promise<Order> {
    return this.api.placeOrder(eventId, seatIds, key);
  }
}
