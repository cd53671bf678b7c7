// Cancellation and refunds end to end (API.md "Cancellation, refunds and the waiting list"): the
// organiser's cancel with its refund, the buyer's inside and outside the event's window, the
// refusals, concurrent cancels of one order, and a cancelled ticket at the gate.
import { randomUUID } from 'node:crypto';
import type { CheckIn, Order, Problem, Revocations, SeatChange } from '@ticketmain/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type OrProblem } from '../support/client.js';
import { ADMIN_TOKEN, MODES, startServer, type TestServer } from '../support/server.js';
import { buy, createEvent, expectProblem } from '../support/tickets.js';
import { Watcher } from '../support/watcher.js';

type Answer = OrProblem<Order>;

describe.each(MODES)('cancellation (%s)', (mode) => {
  let server: TestServer;
  let admin: Client;
  let eventId: string;

  beforeAll(async () => {
    server = await startServer(mode);
    admin = new Client(server.url, ADMIN_TOKEN);
    eventId = await createEvent(server.url);
  });
  afterAll(() => server?.close());

  const cancel = (orderId: string, body: unknown = {}) =>
    admin.request<Answer>('POST', `/api/admin/orders/${orderId}/cancel`, { body });
  const buyerCancel = (client: Client, orderId: string, key?: string) =>
    client.request<Answer>(
      'POST',
      `/api/orders/${orderId}/cancel${key === undefined ? '' : `?key=${encodeURIComponent(key)}`}`,
    );
  const setWindow = async (until: string | null) => {
    const reply = await admin.request('PATCH', `/api/admin/events/${eventId}`, {
      body: { rules: { buyerCancellationUntil: until } },
    });
    expect(reply.status).toBe(200);
  };
  const keyOf = (order: Order) => new URL(order.url, 'http://x').searchParams.get('key') ?? '';
  const liveTickets = async (seatId: string) => {
    const rows = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM tickets
        WHERE event_id = $1 AND seat_id = $2 AND status = 'live'`,
      [eventId, seatId],
    );
    return rows[0]?.n;
  };

  it('cancels with a refund, shows it on the order, frees the seats, and answers again unchanged', async () => {
    const { client, order } = await buy(server.url, eventId, ['S01', 'S02']);
    expect(order.status).toBe('CONFIRMED');
    expect(order.total).toBe(5_000);
    const watcher = await Watcher.subscribe(server.url, eventId);
    expect(watcher.view().sold).toEqual(expect.arrayContaining(['S01', 'S02']));
    const first = await cancel(order.orderId, { refund: 1_500 });
    expect(first.status).toBe(200);
    // Subscribers see the seats come back (from either store), without a resync.
    await watcher
      .until(() => !watcher.seats.has('S01') && !watcher.seats.has('S02'), 500)
      .finally(() => watcher.close());
    expect(watcher.untoldGaps).toEqual([]);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.body).toMatchObject({
      orderId: order.orderId,
      status: 'CANCELLED',
      refund: { amount: 1_500, currency: 'EUR' },
      total: 5_000,
      seats: order.seats,
    });
    expect(Date.parse(first.body.cancelledAt ?? '')).toBeGreaterThan(Date.parse(order.createdAt));
    // Read back by its buyer, and once more cancelled: the same order, the first refund.
    const read = await client.request<Order>('GET', `/api/orders/${order.orderId}`);
    expect(read.body).toEqual(first.body);
    const again = await cancel(order.orderId, { refund: 0 });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    // The seats are free at once, and the history stays: the order and its tickets remain.
    const seats = await client.seats(eventId);
    expect(seats.body.sold).not.toContain('S01');
    expect(seats.body.held).not.toContain('S01');
    const rows = await server.db.query<{ status: string }>(
      'SELECT status FROM tickets WHERE order_id = $1',
      [order.orderId],
    );
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
    expect(await liveTickets('S01')).toBe(0);
  });

  it('refunds the total by default, with no body as with an empty one', async () => {
    const { order } = await buy(server.url, eventId, ['V1']);
    const reply = await admin.request<Answer>('POST', `/api/admin/orders/${order.orderId}/cancel`);
    expect(reply.status).toBe(200);
    expect(reply.body.refund).toEqual({ amount: 9_000, currency: 'EUR' });
  });

  it('refuses an unknown order, a refund out of range, a bad order id and a missing token', async () => {
    const { client, order } = await buy(server.url, eventId, ['S03']);
    expectProblem(await cancel(randomUUID()), 404, 'ORDER_NOT_FOUND');
    expectProblem(await cancel(order.orderId, { refund: -1 }), 422, 'INVALID_REFUND');
    expectProblem(await cancel(order.orderId, { refund: 2_501 }), 422, 'INVALID_REFUND');
    expectProblem(await cancel(order.orderId, { refund: 1.5 }), 400, 'INVALID_REQUEST');
    expectProblem(await cancel(order.orderId, { refund: 10, extra: 1 }), 400, 'INVALID_REQUEST');
    expectProblem(await cancel('not-a-uuid'), 400, 'INVALID_REQUEST');
    const path = `/api/admin/orders/${order.orderId}/cancel`;
    const anonymous = new Client(server.url);
    expectProblem(await anonymous.request('POST', path, { body: {} }), 401, 'UNAUTHENTICATED');
    // A buyer's session is no admin token, even for the buyer's own order.
    expectProblem(await client.request('POST', path, { body: {} }), 401, 'UNAUTHENTICATED');
    expectProblem(await buyerCancel(anonymous, order.orderId), 401, 'UNAUTHENTICATED');
    // None of it touched the order.
    const read = await client.request<Order>('GET', `/api/orders/${order.orderId}`);
    expect(read.body.status).toBe('CONFIRMED');
    expect(await liveTickets('S03')).toBe(1);
  });

  it('lets the buyer cancel, with a full refund, only inside the window', async () => {
    await setWindow(null);
    const { client, order } = await buy(server.url, eventId, ['S04']);
    // No window (only the organiser may), then one that has passed.
    expectProblem(await buyerCancel(client, order.orderId), 403, 'CANCELLATION_CLOSED');
    await setWindow(new Date(Date.now() - 1_000).toISOString());
    expectProblem(await buyerCancel(client, order.orderId), 403, 'CANCELLATION_CLOSED');
    await setWindow(new Date(Date.now() + 3_600_000).toISOString());
    // Another session may not, nor a wrong key: as if the order did not exist.
    const stranger = await Client.session(server.url);
    expectProblem(await buyerCancel(stranger, order.orderId), 404, 'ORDER_NOT_FOUND');
    expectProblem(await buyerCancel(stranger, order.orderId, 'wrong'), 404, 'ORDER_NOT_FOUND');
    expectProblem(await buyerCancel(client, randomUUID()), 404, 'ORDER_NOT_FOUND');
    const reply = await buyerCancel(client, order.orderId);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      status: 'CANCELLED',
      refund: { amount: 2_500, currency: 'EUR' },
    });
    expect(await liveTickets('S04')).toBe(0);
    // The window closing afterwards changes nothing for an order already cancelled.
    await setWindow(null);
    const again = await buyerCancel(client, order.orderId);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(reply.body);
  });

  it("lets the key of the order's page cancel it without the session", async () => {
    await setWindow(new Date(Date.now() + 3_600_000).toISOString());
    const { order } = await buy(server.url, eventId, ['S05']);
    const reply = await buyerCancel(new Client(server.url), order.orderId, keyOf(order));
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('CANCELLED');
    await setWindow(null);
  });

  it('does one cancellation of concurrent cancels, whatever refunds they ask', async () => {
    const { order } = await buy(server.url, eventId, ['S06', 'S07']);
    const watcher = await Watcher.subscribe(server.url, eventId);
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) => cancel(order.orderId, { refund: i * 100 })),
    );
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
    const first = replies[0]?.body;
    for (const reply of replies) expect(reply.body).toEqual(first);
    const rows = await server.db.query<{ cancelled_at: Date; refund_cents: string | number }>(
      'SELECT cancelled_at, refund_cents FROM orders WHERE id = $1',
      [order.orderId],
    );
    expect(Number(rows[0]?.refund_cents)).toBe(first?.refund?.amount);
    expect(rows[0]?.cancelled_at.toISOString()).toBe(first?.cancelledAt);
    // A seat released once: a new buyer gets it, and a late repeat of the cancel leaves it sold.
    const { order: resold } = await buy(server.url, eventId, ['S06']);
    expect((await cancel(order.orderId)).status).toBe(200);
    await watcher
      .until(() => watcher.seats.get('S06') === 'SOLD' && !watcher.seats.has('S07'))
      .finally(() => watcher.close());
    // One release was published for each seat, whatever the number of cancels.
    const released = watcher.frames
      .map((frame) => JSON.parse(frame) as { type: string; changes?: SeatChange[] })
      .flatMap((frame) => (frame.type === 'seats' ? (frame.changes ?? []) : []))
      .filter((change) => change.status === 'AVAILABLE')
      .map((change) => change.seatId);
    expect(released.sort()).toEqual(['S06', 'S07']);
    const seats = await new Client(server.url).seats(eventId);
    expect(seats.body.sold).toContain('S06');
    expect(seats.body.sold).not.toContain('S07');
    expect(await liveTickets('S06')).toBe(1);
    expect(resold.status).toBe('CONFIRMED');
  });

  it('refuses a cancelled ticket at the gate and lists it in the revocations', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const { order } = await buy(server.url, eventId, ['S08', 'S09']);
    const [kept, scanned] = order.tickets;
    if (kept === undefined || scanned === undefined) throw new Error('two tickets expected');
    expect((await cancel(order.orderId)).status).toBe(200);
    const scan = (code: string) =>
      admin.request<CheckIn & Problem>('POST', `/api/events/${eventId}/checkins`, {
        body: { code, nonce: randomUUID() },
      });
    expectProblem(await scan(scanned.code), 409, 'TICKET_CANCELLED');
    expectProblem(await scan(kept.code), 409, 'TICKET_CANCELLED');
    const revoked = await admin.request<Revocations>(
      'GET',
      `/api/admin/events/${eventId}/revocations?since=${encodeURIComponent(since)}`,
    );
    expect(revoked.status).toBe(200);
    expect(revoked.body.ticketIds).toEqual(
      expect.arrayContaining([kept.ticketId, scanned.ticketId]),
    );
    // A ticket sold again on the seat is live and checks in.
    const { order: resold } = await buy(server.url, eventId, ['S09']);
    const ticket = resold.tickets[0];
    expect(ticket?.ticketId).not.toBe(scanned.ticketId);
    expect((await scan(ticket?.code ?? '')).status).toBe(201);
  });
});
