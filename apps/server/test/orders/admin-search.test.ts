// The organiser's order look-ups (docs/api.md "Orders, for the organiser"): an event's orders found
// by the start of their id or of the buyer's e-mail, newest first and only that event's; any order
// read in full; bad input, unknown events and missing tokens refused with problem+json.
import type { Order, OrderSearchResult } from '@ticketmain/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type OrProblem } from '../support/client.js';
import { ADMIN_TOKEN, MODES, startServer, type TestServer } from '../support/server.js';
import { buy, createEvent, expectProblem } from '../support/tickets.js';

/** Set once the server has POST /api/admin/orders/:orderId/cancel (API.md "Cancellation"). */

describe.each(MODES)('order search for the organiser (%s)', (mode) => {
  let server: TestServer;
  let admin: Client;
  let eventId: string;
  let otherEventId: string;
  let ada: Order;
  let grace: Order;
  let anonymous: Order;

  beforeAll(async () => {
    server = await startServer(mode);
    admin = new Client(server.url, ADMIN_TOKEN);
    [eventId, otherEventId] = await Promise.all([createEvent(server.url), createEvent(server.url)]);
    ada = (
      await buy(server.url, eventId, ['S01', 'S02'], { name: 'Ada', email: 'Ada@Example.org' })
    ).order;
    grace = (await buy(server.url, eventId, ['S03'], { name: 'Grace', email: 'grace@example.org' }))
      .order;
    anonymous = (await buy(server.url, eventId, ['S04'])).order;
    // The same buyer at another event: never among this event's results.
    await buy(server.url, otherEventId, ['S01'], { name: 'Ada', email: 'ada@example.org' });
  });
  afterAll(() => server?.close());

  const search = (query: string, client = admin) =>
    client.request<OrProblem<OrderSearchResult>>(
      'GET',
      `/api/admin/events/${eventId}/orders${query}`,
    );
  const ids = async (query: string) => {
    const reply = await search(query);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    return reply.body.orders.map((o) => o.orderId);
  };

  it('finds an order by its whole id, in any case and without dashes', async () => {
    expect(await ids(`?q=${ada.orderId}`)).toEqual([ada.orderId]);
    expect(await ids(`?q=${ada.orderId.toUpperCase()}`)).toEqual([ada.orderId]);
    expect(await ids(`?q=${ada.orderId.replace(/-/g, '')}`)).toEqual([ada.orderId]);
    const [found] = (await search(`?q=${ada.orderId}`)).body.orders;
    expect(found).toEqual({
      orderId: ada.orderId,
      eventId,
      status: 'CONFIRMED',
      seatIds: ['S01', 'S02'],
      total: ada.total,
      currency: 'EUR',
      createdAt: ada.createdAt,
      buyer: { name: 'Ada', email: 'Ada@Example.org' },
    });
  });

  it('finds an order by the start of its id', async () => {
    expect(await ids(`?q=${grace.orderId.slice(0, 13)}`)).toContain(grace.orderId);
  });

  it("finds orders by the buyer's e-mail or its start, case-insensitively, this event's only", async () => {
    expect(await ids('?q=ada%40example.org')).toEqual([ada.orderId]);
    expect(await ids('?q=ADA%40EX')).toEqual([ada.orderId]);
    expect(await ids('?q=grace')).toEqual([grace.orderId]);
    // LIKE's wildcards are taken literally.
    expect(await ids('?q=%25example')).toEqual([]);
    expect(await ids('?q=_da')).toEqual([]);
  });

  it('lists the latest orders without a query, newest first, at most `limit`', async () => {
    expect(await ids('')).toEqual([anonymous.orderId, grace.orderId, ada.orderId]);
    expect(await ids('?limit=2')).toEqual([anonymous.orderId, grace.orderId]);
  });

  it('refuses bad input with 400, an unknown event with 404, no or a wrong token with 401', async () => {
    for (const query of [
      '?limit=0',
      '?limit=101',
      '?limit=abc',
      '?q=',
      '?q=a&x=1',
      `?q=${'a'.repeat(255)}`,
    ]) {
      expectProblem(await search(query), 400, 'INVALID_REQUEST');
    }
    expectProblem(
      await admin.request('GET', '/api/admin/events/no-such-event/orders?q=ada'),
      404,
      'EVENT_NOT_FOUND',
    );
    expectProblem(await search('?q=ada', new Client(server.url)), 401, 'UNAUTHENTICATED');
    expectProblem(await search('?q=ada', new Client(server.url, 'wrong')), 401, 'UNAUTHENTICATED');
    // A buyer's session token is no admin token.
    expectProblem(await search('?q=ada', await Client.session(server.url)), 401, 'UNAUTHENTICATED');
  });

  it('reads any order in full with the admin token, and nothing without it', async () => {
    const path = `/api/admin/orders/${ada.orderId}`;
    const reply = await admin.request<Order>('GET', path);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.body).toEqual(ada);
    expectProblem(await new Client(server.url).request('GET', path), 401, 'UNAUTHENTICATED');
    expectProblem(
      await admin.request('GET', '/api/admin/orders/00000000-0000-4000-8000-000000000000'),
      404,
      'ORDER_NOT_FOUND',
    );
    expectProblem(
      await admin.request('GET', '/api/admin/orders/not-a-uuid'),
      400,
      'INVALID_REQUEST',
    );
  });

  it('lists a cancelled order as CANCELLED', async () => {
    const { order } = await buy(server.url, eventId, ['S06']);
    const cancel = await admin.request('POST', `/api/admin/orders/${order.orderId}/cancel`, {
      body: { refund: 0 },
    });
    expect(cancel.status).toBe(200);
    const [found] = (await search(`?q=${order.orderId}`)).body.orders;
    expect(found).toMatchObject({ orderId: order.orderId, status: 'CANCELLED', seatIds: ['S06'] });
  });
});
