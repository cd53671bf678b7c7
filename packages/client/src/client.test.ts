import { describe, expect, it } from 'vitest';
import { calls } from './calls.js';
import { TicketmainClient } from './client.js';
import { ApiError, MalformedResponse, NetworkError } from './errors.js';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that records each request and answers with the next of `replies`. */
function fakeFetch(...replies: Array<() => Response>) {
  const sent: Sent[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = typeof init?.body === 'string' ? parse(init.body) : null;
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    sent.push({ url: String(input), method: init?.method ?? 'GET', headers, body });
    const reply = replies.shift();
    if (reply === undefined) throw new Error('no reply left');
    return reply();
  };
  return { sent, fetch };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const json =
  (status: number, body: unknown, type = 'application/json') =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

const order = {
  orderId: '0b6f8c7e-93c5-4d0a-9a59-3f1c1f0b9f11',
  eventId: 'ev',
  status: 'CONFIRMED',
  seats: [{ seatId: 'A1', sectionId: 'floor', price: 100 }],
  total: 100,
  currency: 'USD',
  createdAt: '2030-01-01T20:00:00.000Z',
  tickets: [
    {
      ticketId: '5d1c7a4e-0e8b-4c86-a7a3-6d0c1e4f2b10',
      seatId: 'A1',
      sectionId: 'floor',
      code: 'h.p.s',
    },
  ],
  url: '/orders/0b6f8c7e-93c5-4d0a-9a59-3f1c1f0b9f11?key=k',
};

const problem = {
  type: 'https://ticketmain.dev/problems/seat-not-held',
  title: 'Seat not held',
  status: 409,
  detail: 'Seat A1 is not held by you',
  code: 'SEAT_NOT_HELD',
  seats: ['A1'],
};

describe('TicketmainClient', () => {
  it('reads an order by the key of its url without the session token', async () => {
    const { sent, fetch } = fakeFetch(json(200, order));
    const client = new TicketmainClient({ baseUrl: 'http://h', token: 'tok', fetch });
    expect(await client.getOrder(order.orderId, 'a/b')).toEqual(order);
    expect(sent[0]?.url).toBe(`http://h/api/orders/${order.orderId}?key=a%2Fb`);
    expect(sent[0]?.headers.authorization).toBeUndefined();
  });

  it('checks in with the scanner token and the nonce', async () => {
    const checkIn = {
      ticketId: '5d1c7a4e-0e8b-4c86-a7a3-6d0c1e4f2b10',
      seatId: 'A1',
      sectionId: 'floor',
      checkedInAt: '2030-01-01T19:00:00.000Z',
    };
    const { sent, fetch } = fakeFetch(json(201, checkIn));
    const client = new TicketmainClient({ baseUrl: 'http://h', token: 'tok', fetch });
    expect(await client.withScannerToken('scan').checkIn('ev', 'h.p.s', 'n1')).toEqual(checkIn);
    expect(sent[0]).toMatchObject({
      url: 'http://h/api/events/ev/checkins',
      method: 'POST',
      headers: { authorization: 'Bearer scan' },
      body: { code: 'h.p.s', nonce: 'n1' },
    });
  });

  it('sends the session token, the body and the idempotency key, and returns the order', async () => {
    const { sent, fetch } = fakeFetch(json(201, order));
    const client = new TicketmainClient({ baseUrl: 'http://server/', token: 't1', fetch });
    expect(await client.placeOrder('ev', ['A1'], 'key-1')).toEqual(order);
    expect(sent).toEqual([
      {
        url: 'http://server/api/events/ev/orders',
        method: 'POST',
        headers: {
          accept: 'application/json',
          authorization: 'Bearer t1',
          'content-type': 'application/json',
          'idempotency-key': 'key-1',
        },
        body: { seatIds: ['A1'] },
      },
    ]);
  });

  it('sends no token to public routes, the admin token to admin routes', async () => {
    const { sent, fetch } = fakeFetch(json(200, []), () => new Response(null, { status: 204 }));
    const client = new TicketmainClient({ token: 'buyer', adminToken: 'admin', fetch });
    expect(await client.listEvents()).toEqual([]);
    await client.resetEvent('a/b');
    expect(sent.map((s) => [s.url, s.headers.authorization])).toEqual([
      ['/api/events', undefined],
      ['/api/admin/events/a%2Fb/reset', 'Bearer admin'],
    ]);
  });

  it('withToken and newBuyer act as another buyer of the same server', async () => {
    const { sent, fetch } = fakeFetch(
      json(201, { sessionId: 's2', token: 't2' }),
      json(201, {
        holds: [{ seatId: 'A1', sectionId: 'A', expiresAt: '2030-01-01T20:05:00.000Z' }],
      }),
    );
    const buyer = await new TicketmainClient({ baseUrl: 'http://server', fetch }).newBuyer();
    expect(buyer.token).toBe('t2');
    await buyer.hold('ev', ['A1']);
    expect(sent[1]?.headers.authorization).toBe('Bearer t2');
  });

  it('throws the problem+json of a refusal as ApiError', async () => {
    const { fetch } = fakeFetch(json(409, problem, 'application/problem+json'));
    const error = await new TicketmainClient({ fetch })
      .placeOrder('ev', ['A1'], 'k')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 409,
      code: 'SEAT_NOT_HELD',
      detail: 'Seat A1 is not held by you',
      seats: ['A1'],
      problem,
      message: 'Seat A1 is not held by you',
    });
  });

  it('an error reply that is not problem+json is an ApiError UNKNOWN', async () => {
    const { fetch } = fakeFetch(() => new Response('<h1>Bad gateway</h1>', { status: 502 }));
    const error = await new TicketmainClient({ fetch }).listEvents().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: 'UNKNOWN', problem: undefined, seats: [] });
    expect((error as ApiError).detail).toBe('The server answered 502. Please try again.');
  });

  it('refuses a success reply that the schema does not describe', async () => {
    const { fetch } = fakeFetch(json(201, { ...order, total: '100' }));
    const error = await new TicketmainClient({ fetch })
      .placeOrder('ev', ['A1'], 'k')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponse);
    expect(error).toMatchObject({ what: 'order', status: 201, message: expect.any(String) });
    expect((error as MalformedResponse).mismatch).toMatch(/^\/total: /);
  });

  it('a request that gets no answer, or none in time, is a NetworkError', async () => {
    const refused = new TicketmainClient({
      fetch: async () => Promise.reject(new TypeError('fetch failed')),
    });
    await expect(refused.health()).rejects.toBeInstanceOf(NetworkError);
    const slow = new TicketmainClient({
      timeoutMs: 20,
      fetch: (_input, init) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        ),
    });
    const error = await slow.health().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).cause).toMatchObject({ name: 'TimeoutError' });
  });

  it('reads not-ready as a reply, and gives the status of a replayed order', async () => {
    const { fetch } = fakeFetch(
      json(503, { status: 'not-ready', checks: { holdStore: false, ledger: true } }),
      json(200, order),
    );
    const client = new TicketmainClient({ token: 't', fetch });
    expect(await client.ready()).toEqual({
      status: 'not-ready',
      checks: { holdStore: false, ledger: true },
    });
    const replay = await client.send(calls.placeOrder('ev', ['A1'], 'k'));
    expect(replay.status).toBe(200);
    expect(replay.data.orderId).toBe(order.orderId);
  });

  it('request sends raw text and answers every status without throwing', async () => {
    const { sent, fetch } = fakeFetch(
      json(400, problem, 'application/problem+json'),
      () => new Response('# metrics\n', { status: 200, headers: { 'content-type': 'text/plain' } }),
    );
    const client = new TicketmainClient({ fetch });
    const bad = await client.request('POST', '/api/events/ev/holds', { text: '{"seatIds":' });
    expect(bad).toMatchObject({ status: 400, contentType: 'application/problem+json' });
    expect(bad.body).toEqual(problem);
    expect(sent[0]?.headers['content-type']).toBe('application/json');
    expect((await client.request('GET', '/metrics')).body).toBe('# metrics\n');
  });
});
