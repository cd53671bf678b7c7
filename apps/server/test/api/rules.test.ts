// The API's rules end to end: sold seats stay sold, holds expire, orders replay, bad input is
// refused with problem+json and writes nothing.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Reply } from '../support/client.js';
import { MODES, startServer, type TestServer } from '../support/server.js';

const EVENT = 'arena-demo';

function expectProblem(reply: Reply, status: number, code: string): void {
  expect(reply.status).toBe(status);
  expect(reply.contentType).toContain('application/problem+json');
  const body = reply.body as { code: string; status: number; detail: string; title: string };
  expect(body.code).toBe(code);
  expect(body.status).toBe(status);
  expect(typeof body.detail).toBe('string');
}

async function orderCount(server: TestServer): Promise<number> {
  const rows = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
  return rows[0]!.n;
}

describe.each(MODES)('API rules (%s)', (mode) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(mode);
  });
  afterAll(() => server.close());

  it('a sold seat stays sold: holding it says "Seat already sold", ordering it fails', async () => {
    const a = await Client.session(server.url);
    const b = await Client.session(server.url);
    expect((await a.hold(EVENT, ['A1'])).status).toBe(201);
    const order = await a.order(EVENT, ['A1'], 'buy-a1');
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ eventId: EVENT, status: 'CONFIRMED', currency: 'USD' });
    expect(order.body.seats.map((s) => s.seatId)).toEqual(['A1']);
    expect(order.body.total).toBe(order.body.seats[0]!.price);

    const hold = await b.hold(EVENT, ['A1']);
    expectProblem(hold, 409, 'SEAT_UNAVAILABLE');
    expect(hold.body.detail).toBe('Seat already sold');
    expect(hold.body.seats).toEqual(['A1']);
    const steal = await b.order(EVENT, ['A1'], 'steal-a1');
    expect(steal.status).toBe(409);
    expect(['SEAT_SOLD', 'SEAT_NOT_HELD']).toContain(steal.body.code);
    expect((await b.seats(EVENT)).body.sold).toContain('A1');
  });

  it('a conflict with a held seat says "Seat already held by another user"', async () => {
    const a = await Client.session(server.url);
    const b = await Client.session(server.url);
    expect((await a.hold(EVENT, ['A2'])).status).toBe(201);
    const reply = await b.hold(EVENT, ['A3', 'A2']);
    expectProblem(reply, 409, 'SEAT_UNAVAILABLE');
    expect(reply.body.detail).toBe('Seat already held by another user');
    expect(reply.body.seats).toEqual(['A2']);
    // All or nothing: A3 was not taken.
    expect((await b.seats(EVENT)).body.held).not.toContain('A3');
  });

  it('the same key replays the same order with 200; other seats under it are refused', async () => {
    const a = await Client.session(server.url);
    expect((await a.hold(EVENT, ['B1', 'B2'])).status).toBe(201);
    const first = await a.order(EVENT, ['B1', 'B2'], 'key-1');
    expect(first.status).toBe(201);
    const again = await a.order(EVENT, ['B2', 'B1'], 'key-1');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await a.hold(EVENT, ['B3'])).status).toBe(201);
    expectProblem(await a.order(EVENT, ['B3'], 'key-1'), 422, 'IDEMPOTENCY_KEY_REUSED');
    const lookup = await a.request('GET', `/api/orders/${first.body.orderId}`);
    expect(lookup.status).toBe(200);
    expect(lookup.body).toEqual(first.body);
    const other = await Client.session(server.url);
    expectProblem(
      await other.request('GET', `/api/orders/${first.body.orderId}`),
      404,
      'ORDER_NOT_FOUND',
    );
  });

  it('release: own hold 204, again 404, another session 403', async () => {
    const a = await Client.session(server.url);
    const b = await Client.session(server.url);
    expect((await a.hold(EVENT, ['C1'])).status).toBe(201);
    expectProblem(await b.release(EVENT, 'C1'), 403, 'NOT_OWNER');
    expect((await a.release(EVENT, 'C1')).status).toBe(204);
    expectProblem(await a.release(EVENT, 'C1'), 404, 'HOLD_NOT_FOUND');
    expect((await b.hold(EVENT, ['C1'])).status).toBe(201);
  });

  it('hold limit counts the seats already held', async () => {
    const a = await Client.session(server.url);
    expect((await a.hold(EVENT, ['D1', 'D2', 'D3', 'D4', 'D5', 'D6'])).status).toBe(201);
    const reply = await a.hold(EVENT, ['D6', 'D7', 'D8', 'D9']);
    expectProblem(reply, 422, 'HOLD_LIMIT');
    expect(reply.body.detail).toBe(
      'You can have at most 8 seats of this event, counting those you bought',
    );
    expect((await a.hold(EVENT, ['D6', 'D7', 'D8'])).status).toBe(201);
    expectProblem(
      await a.hold(EVENT, ['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7', 'E8', 'E9']),
      400,
      'INVALID_REQUEST',
    );
  });

  it('refuses bad input with the right problem and writes nothing', async () => {
    const a = await Client.session(server.url);
    const before = (await a.seats(EVENT)).body.seq;
    const orders = await orderCount(server);
    const anon = new Client(server.url);
    const forged = new Client(server.url, `${a.token!.slice(0, -2)}xx`);
    const path = `/api/events/${EVENT}/holds`;

    expectProblem(await a.hold(EVENT, ['NOPE-1']), 422, 'UNKNOWN_SEAT');
    expectProblem(await a.hold('no-such-event', ['A1']), 404, 'EVENT_NOT_FOUND');
    expectProblem(await a.request('POST', path, { raw: '{"seatIds": [' }), 400, 'INVALID_REQUEST');
    expectProblem(await a.request('POST', path, { body: { seatIds: [] } }), 400, 'INVALID_REQUEST');
    expectProblem(
      await a.request('POST', path, { body: { seatIds: ['F1', 'F1'] } }),
      400,
      'INVALID_REQUEST',
    );
    expectProblem(
      await a.request('POST', path, { body: { seatIds: ['F1'], extra: 1 } }),
      400,
      'INVALID_REQUEST',
    );
    expectProblem(
      await a.request('POST', path, { body: { seatIds: ['F 1*'] } }),
      400,
      'INVALID_REQUEST',
    );
    expectProblem(
      await a.request('POST', path, { body: { seatIds: 'F1' } }),
      400,
      'INVALID_REQUEST',
    );
    expectProblem(await anon.hold(EVENT, ['F1']), 401, 'UNAUTHENTICATED');
    expectProblem(await forged.hold(EVENT, ['F1']), 401, 'UNAUTHENTICATED');
    expectProblem(
      await a.request('POST', path, {
        raw: JSON.stringify({ seatIds: ['F1'], pad: 'x'.repeat(20_000) }),
      }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expectProblem(
      await a.request('POST', path, {
        raw: 'seatIds=F1',
        headers: { 'content-type': 'text/plain' },
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectProblem(
      await a.request('POST', `/api/events/${EVENT}/orders`, { body: { seatIds: ['F1'] } }),
      400,
      'INVALID_REQUEST',
    );
    expectProblem(await a.request('GET', '/api/nothing-here'), 404, 'NOT_FOUND');
    expectProblem(await a.request('GET', '/api/orders/not-a-uuid'), 400, 'INVALID_REQUEST');

    expect((await a.seats(EVENT)).body.seq).toBe(before);
    expect(await orderCount(server)).toBe(orders);
  });

  it('admin routes need the admin token', async () => {
    const anon = new Client(server.url);
    expectProblem(
      await anon.request('POST', `/api/admin/events/${EVENT}/reset`),
      401,
      'UNAUTHENTICATED',
    );
    const wrong = new Client(server.url, 'not-the-admin-token-at-all');
    expectProblem(
      await wrong.request('POST', `/api/admin/events/${EVENT}/reset`),
      401,
      'UNAUTHENTICATED',
    );
  });
});

describe.each(MODES)('short holds (%s)', (mode) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(mode, { env: { HOLD_TTL_SECONDS: '1' } });
  });
  afterAll(() => server.close());

  it('a hold that expires before checkout: 409 SEAT_NOT_HELD, then another session holds it', async () => {
    const a = await Client.session(server.url);
    const b = await Client.session(server.url);
    expect((await a.hold(EVENT, ['G1'])).status).toBe(201);
    await sleep(1_300);
    const order = await a.order(EVENT, ['G1'], 'late');
    expectProblem(order, 409, 'SEAT_NOT_HELD');
    expect(order.body.seats).toEqual(['G1']);
    expect((await b.hold(EVENT, ['G1'])).status).toBe(201);
    expect(await orderCount(server)).toBe(0);
  });
});
