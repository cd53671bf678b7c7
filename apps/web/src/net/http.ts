// The app's HTTP API client: @ticketmain/client (typed calls, replies checked against the
// contract) with the buyer's session token attached, renewed once when the server no longer
// accepts it, and every reply's Date header shown to the server clock.
import {
  ApiError,
  TicketmainClient,
  type BestHoldRequest,
  type BestHoldResponse,
  type EventDetail,
  type EventSummary,
  type HoldResponse,
  type Order,
  type SeatSnapshot,
  type SessionCreated,
} from '@ticketmain/client';
import type {
  GaHoldRequest,
  QueueEntry,
  WaitlistEntry,
  WaitlistJoinRequest,
} from '@ticketmain/protocol';
import type { ServerClock } from './clock';
import type { TokenSource } from './session';

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  clock?: ServerClock;
}

export class ApiClient {
  private readonly api: TicketmainClient;
  private tokens: TokenSource | null = null;

  constructor(options: ApiClientOptions = {}) {
    const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const { clock } = options;
    this.api = new TicketmainClient({
      baseUrl: options.baseUrl ?? '',
      fetch:
        clock === undefined
          ? fetchImpl
          : async (input, init) => {
              const sentAt = Date.now();
              const response = await fetchImpl(input, init);
              clock.observe(response.headers.get('date'), sentAt, Date.now());
              return response;
            },
    });
  }

  /** Authenticated calls take their token from here (set once the session manager exists). */
  useTokens(tokens: TokenSource): void {
    this.tokens = tokens;
  }

  createSession(): Promise<SessionCreated> {
    return this.api.createSession();
  }

  listEvents(): Promise<EventSummary[]> {
    return this.api.listEvents();
  }

  getEvent(eventId: string): Promise<EventDetail> {
    return this.api.getEvent(eventId);
  }

  getSeats(eventId: string): Promise<SeatSnapshot> {
    return this.asBuyer((api) => api.getSeats(eventId));
  }

  hold(eventId: string, seatIds: readonly string[]): Promise<HoldResponse> {
    return this.asBuyer((api) => api.hold(eventId, seatIds));
  }

  holdPlaces(eventId: string, ga: readonly GaHoldRequest[]): Promise<HoldResponse> {
    return this.asBuyer((api) => api.holdPlaces(eventId, ga));
  }

  holdBest(eventId: string, request: BestHoldRequest): Promise<BestHoldResponse> {
    return this.asBuyer((api) => api.holdBest(eventId, request));
  }

  extendHolds(eventId: string): Promise<HoldResponse> {
    return this.asBuyer((api) => api.extendHolds(eventId));
  }

  release(eventId: string, seatId: string): Promise<void> {
    return this.asBuyer((api) => api.release(eventId, seatId));
  }

  placeOrder(eventId: string, seatIds: readonly string[], key: string): Promise<Order> {
    return this.asBuyer((api) => api.placeOrder(eventId, seatIds, key));
  }

  /** POST the waiting room: the session's entry; `nonce`, the proof when the queue asks one. */
  joinQueue(eventId: string, nonce?: string): Promise<QueueEntry> {
    return this.asBuyer((api) => api.joinQueue(eventId, nonce));
  }

  queueEntry(eventId: string): Promise<QueueEntry> {
    return this.asBuyer((api) => api.queueEntry(eventId));
  }

  joinWaitlist(eventId: string, request: WaitlistJoinRequest): Promise<WaitlistEntry> {
    return this.asBuyer((api) => api.joinWaitlist(eventId, request));
  }

  waitlistEntry(eventId: string): Promise<WaitlistEntry> {
    return this.asBuyer((api) => api.waitlistEntry(eventId));
  }

  /** By the key of the order's url (any device, no session), or else as this buyer. */
  getOrder(orderId: string, key: string | null): Promise<Order> {
    if (key !== null) return this.api.getOrder(orderId, key);
    return this.asBuyer((api) => api.getOrder(orderId));
  }

  private async asBuyer<T>(call: (api: TicketmainClient) => Promise<T>): Promise<T> {
    if (this.tokens === null) return call(this.api);
    const token = await this.tokens.token();
    try {
      return await call(this.api.withToken(token));
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      // The token expired or the server's secret changed: become a new buyer, once.
      return call(this.api.withToken(await this.tokens.renew(token)));
    }
  }
}
