// A small typed HTTP client over fetch for the API tests.
export interface Reply<T = unknown> {
  status: number;
  contentType: string | null;
  body: T;
  headers: Headers;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  seats?: string[];
}

export class Client {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  static async session(baseUrl: string): Promise<Client> {
    const reply = await new Client(baseUrl).request<{ token: string }>('POST', '/api/sessions');
    if (reply.status !== 201) throw new Error(`session: ${reply.status}`);
    return new Client(baseUrl, reply.body.token);
  }

  async request<T = unknown>(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    } else if (body !== undefined) {
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(this.baseUrl + path, { method, headers, body });
    const text = await response.text();
    const contentType = response.headers.get('content-type');
    return {
      status: response.status,
      contentType,
      body: (text.length > 0 && contentType?.includes('json') ? JSON.parse(text) : text) as T,
      headers: response.headers,
    };
  }

  hold(eventId: string, seatIds: string[]) {
    return this.request<{ holds: { seatId: string; expiresAt: string }[] } & ProblemBody>(
      'POST',
      `/api/events/${eventId}/holds`,
      { body: { seatIds } },
    );
  }

  release(eventId: string, seatId: string) {
    return this.request<ProblemBody>('DELETE', `/api/events/${eventId}/holds/${seatId}`);
  }

  order(eventId: string, seatIds: string[], key: string) {
    return this.request<OrderBody & ProblemBody>('POST', `/api/events/${eventId}/orders`, {
      body: { seatIds },
      headers: { 'idempotency-key': key },
    });
  }

  seats(eventId: string) {
    return this.request<SeatsBody>('GET', `/api/events/${eventId}/seats`);
  }
}

export interface OrderBody {
  orderId: string;
  eventId: string;
  status: string;
  seats: { seatId: string; sectionId: string; price: number }[];
  total: number;
  currency: string;
  createdAt: string;
}

export interface SeatsBody {
  eventId: string;
  seq: number;
  held: string[];
  sold: string[];
  mine: { seatId: string; expiresAt: string }[];
}
