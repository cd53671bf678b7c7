// The order page's API (API.md "Buyer details, order page and e-mail"): every order carries its
// url with a secret key that opens it without the session; a wrong key tells nothing; buyer
// details are checked before anything is written, and come back with the order.
import type { Order, Problem } from '@ticketmain/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type OrProblem } from '../support/client.js';
import { MODES, startServer, type TestServer } from '../support/server.js';
import { buy, createEvent, expectProblem } from '../support/tickets.js';

const BUYER = { name: 'Ada Lovelace', email: 'ada@example.org' };

describe.each(MODES)('order page (%s)', (mode) => {
  let server: TestServer;
  let eventId: string;

  beforeAll(async () => {
    server = await startServer(mode, { env: { PUBLIC_URL: 'https://tickets.example.org' } });
    eventId = await createEvent(server.url);
  });
  afterAll(() => server?.close());

  const keyOf = (order: Order) => new URL(order.url).searchParams.get('key') ?? '';
  const read = (client: Client, orderId: string, key?: string) =>
    client.request<OrProblem<Order>>(
      'GET',
      `/api/orders/${orderId}${key === undefined ? '' : `?key=${encodeURIComponent(key)}`}`,
    );

  it('opens the order by the key of its url, without the session, and never stores it', async () => {
    const { order } = await buy(server.url, eventId, ['S01', 'S02'], BUYER);
    const url = new URL(order.url);
    expect(`${url.origin}${url.pathname}`).toBe(
      `https://tickets.example.org/orders/${order.orderId}`,
    );
    expect(keyOf(order)).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const anonymous = new Client(server.url);
    const opened = await read(anonymous, order.orderId, keyOf(order));
    expect(opened.status).toBe(200);
    expect(opened.headers.get('cache-control')).toBe('no-store');
    expect(opened.body).toEqual(order);
    expect(opened.body.buyer).toEqual(BUYER);
  });

  it('answers 404 for a wrong or missing key, as for an order that does not exist', async () => {
    const { client, order } = await buy(server.url, eventId, ['S03']);
    const anonymous = new Client(server.url);
    const stranger = await Client.session(server.url);
    const key = keyOf(order);
    const wrong = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    const missing = '00000000-0000-4000-8000-000000000000';
    const replies = [
      await read(anonymous, order.orderId, wrong),
      await read(anonymous, order.orderId),
      await read(anonymous, order.orderId, ''),
      await read(stranger, order.orderId),
      await read(stranger, order.orderId, wrong),
      await read(anonymous, missing, key),
    ];
    for (const reply of replies) expectProblem(reply, 404, 'ORDER_NOT_FOUND');
    expect(new Set(replies.map((reply) => reply.body.detail)).size).toBe(1);
    // The buyer's own session still reads it, with or without a key.
    expect((await read(client, order.orderId)).body).toEqual(order);
    expect((await read(client, order.orderId, wrong)).status).toBe(200);
    expect((await read(stranger, order.orderId, key)).status).toBe(200);
  });

  it('gives the same order, codes and url again to a retry and to a read', async () => {
    const { client, order, key } = await buy(server.url, eventId, ['S04'], BUYER);
    const replay = await client.request<Order>('POST', `/api/events/${eventId}/orders`, {
      body: { seatIds: ['S04'] },
      headers: { 'idempotency-key': key },
    });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(order);
    expect((await read(client, order.orderId)).body).toEqual(order);
    expect(order.buyer).toEqual(BUYER);
  });

  it.each([
    ['an address without a domain', { ...BUYER, email: 'ada@' }],
    ['a header in the address', { ...BUYER, email: 'ada@example.org\r\nBcc: x@example.org' }],
    ['a control character in the name', { ...BUYER, name: 'Ada\u0000' }],
    ['a name too long', { ...BUYER, name: 'a'.repeat(201) }],
    ['no address', { name: 'Ada' }],
    ['another field', { ...BUYER, phone: '123' }],
  ])('refuses %s with 400 and writes nothing', async (_what, buyer) => {
    const client = await Client.session(server.url);
    expect((await client.hold(eventId, ['S05'])).status).toBe(201);
    const reply = await client.request<Problem>('POST', `/api/events/${eventId}/orders`, {
      body: { seatIds: ['S05'], buyer },
      headers: { 'idempotency-key': 'k-1' },
    });
    expectProblem(reply, 400, 'INVALID_REQUEST');
    const rows = await server.db.query<{ n: unknown }>(
      "SELECT count(*) AS n FROM tickets WHERE event_id = $1 AND seat_id = 'S05'",
      [eventId],
    );
    expect(Number(rows[0]?.n)).toBe(0);
    expect((await client.release(eventId, 'S05')).status).toBe(204);
  });

  it('keeps an order without buyer details without them', async () => {
    const { order } = await buy(server.url, eventId, ['S06']);
    expect(order).not.toHaveProperty('buyer');
  });
});
