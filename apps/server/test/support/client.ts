// A small HTTP client for the API tests: every reply as it came (any status, never thrown), its
// body typed by the protocol's schemas but not checked, so that tests can look at refusals and
// malformed requests too. Requests go through @ticketmain/client's unchecked layer; the checked,
// typed client itself is tested in api/client.test.ts.
import { TicketmainClient } from '@ticketmain/client';
import type { HoldResponse, Order, Problem, SeatSnapshot } from '@ticketmain/protocol';

export interface Reply<T = unknown> {
  status: number;
  contentType: string | null;
  body: T;
  headers: Headers;
}

/** A body that is a T or, for a refusal, a Problem: T's fields and the Problem's others. */
export type OrProblem<T> = T & Omit<Problem, keyof T>;

export class Client {
  private readonly api: TicketmainClient;

  constructor(
    readonly baseUrl: string,
    /** Sent as the bearer token of every request: a session's, or the admin token. */
    readonly token?: string,
  ) {
    this.api = new TicketmainClient({ baseUrl, token });
  }

  static async session(baseUrl: string): Promise<Client> {
    const { token } = await new TicketmainClient({ baseUrl }).createSession();
    return new Client(baseUrl, token);
  }

  /** `body` is sent as JSON, `raw` as it is (both as application/json unless `headers` say). */
  async request<T = unknown>(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> {
    const { body, raw, headers } = options;
    const reply = await this.api.request(method, path, { body, text: raw, headers });
    // The caller names the type; a test that expects a refusal reads the Problem side of it.
    return { ...reply, body: reply.body as T };
  }

  hold(eventId: string, seatIds: string[]) {
    return this.request<OrProblem<HoldResponse>>('POST', `/api/events/${eventId}/holds`, {
      body: { seatIds },
    });
  }

  extend(eventId: string) {
    return this.request<OrProblem<HoldResponse>>('POST', `/api/events/${eventId}/holds/extend`);
  }

  release(eventId: string, seatId: string) {
    return this.request<Problem>('DELETE', `/api/events/${eventId}/holds/${seatId}`);
  }

  order(eventId: string, seatIds: string[], key: string) {
    return this.request<OrProblem<Order>>('POST', `/api/events/${eventId}/orders`, {
      body: { seatIds },
      headers: { 'idempotency-key': key },
    });
  }

  seats(eventId: string) {
    return this.request<SeatSnapshot>('GET', `/api/events/${eventId}/seats`);
  }
}
