// @ticketmain/client against a real server: every route through the typed client, so every reply
// the server gives here passes the protocol's schema (the client checks each one), and every
// refusal arrives as an ApiError with its problem+json.
import {
  ApiError,
  calls,
  MalformedResponse,
  NetworkError,
  TicketmainClient,
} from '@ticketmain/client';
import type { VenueLayout } from '@ticketmain/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, MODES, startServer, type TestServer } from '../support/server.js';

const EVENT = 'arena-demo';

const venue: VenueLayout = {
  name: 'Client Hall',
  stage: { x: 0, y: -40, width: 60, height: 20, label: 'Stage' },
  sections: [
    {
      id: 'floor',
      name: 'Floor',
      price: 4_200,
      rows: [{ label: 'A', seats: [1, 2, 3].map((n) => ({ id: `A${n}`, number: n, x: n, y: 0 })) }],
    },
  ],
};

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe.each(MODES)('@ticketmain/client (%s)', (mode) => {
  let server: TestServer;
  let api: TicketmainClient;
  beforeAll(async () => {
    server = await startServer(mode);
    api = new TicketmainClient({ baseUrl: server.url, adminToken: ADMIN_TOKEN });
  });
  afterAll(() => server.close());

  it('reads the events, an event and its seats', async () => {
    const events = await api.listEvents();
    expect(events.map((e) => e.id)).toContain(EVENT);
    const event = await api.getEvent(EVENT);
    expect(event.seats).toHaveLength(event.seatCount);
    const seats = await api.getSeats(EVENT);
    expect(seats).toMatchObject({ eventId: EVENT, mine: [] });
    expect((await api.health()).status).toBe('ok');
    expect(await api.ready()).toMatchObject({ status: 'ready' });
  });

  it('holds, releases, orders (a replay answers 200 with the same order) and looks it up', async () => {
    const buyer = await api.newBuyer();
    const { holds } = await buyer.hold(EVENT, ['C1', 'C2', 'C3']);
    expect(holds.map((h) => h.seatId).sort()).toEqual(['C1', 'C2', 'C3']);
    expect((await buyer.getSeats(EVENT)).mine).toHaveLength(3);
    await buyer.release(EVENT, 'C3');
    const order = await buyer.placeOrder(EVENT, ['C1', 'C2'], 'client-order');
    expect(order).toMatchObject({ eventId: EVENT, status: 'CONFIRMED' });
    const replay = await buyer.send(calls.placeOrder(EVENT, ['C2', 'C1'], 'client-order'));
    expect(replay.status).toBe(200);
    expect(replay.data).toEqual(order);
    expect(await buyer.getOrder(order.orderId)).toEqual(order);
    expect((await api.getSeats(EVENT)).sold).toEqual(expect.arrayContaining(['C1', 'C2']));
  });

  it('holds the best seats and changes rules through the typed client', async () => {
    const request = {
      id: `client-best-${mode}`,
      name: 'Client Best Night',
      venue,
      startsAt: '2031-02-01T20:00:00.000Z',
      currency: 'EUR',
      rules: { singleSeatRule: true },
    };
    expect((await api.createEvent(request)).rules.singleSeatRule).toBe(true);
    const buyer = await api.newBuyer();
    // A2-A3 would leave A1 alone; A1-A2 leaves A3 alone too: nothing the rule allows.
    expect(await refusal(buyer.holdBest(request.id, { quantity: 2 }))).toMatchObject({
      status: 409,
      code: 'NO_SEATS_AVAILABLE',
    });
    const changed = await api.updateEventRules(request.id, { singleSeatRule: false });
    expect(changed.rules).toEqual({ singleSeatRule: false, buyerCancellationUntil: null });
    const best = await buyer.holdBest(request.id, { quantity: 2 });
    expect(best.adjacent).toBe(true);
    expect(best.holds).toHaveLength(2);
  });

  it('cancels as the organiser, with a refund, and as the buyer only inside the window', async () => {
    const buyer = await api.newBuyer();
    await buyer.hold(EVENT, ['E1']);
    const order = await buyer.placeOrder(EVENT, ['E1'], 'client-cancel');
    expect(await refusal(buyer.cancelOrder(order.orderId))).toMatchObject({
      status: 403,
      code: 'CANCELLATION_CLOSED',
    });
    const cancelled = await api.adminCancelOrder(order.orderId, 100);
    expect(cancelled).toMatchObject({
      status: 'CANCELLED',
      refund: { amount: 100, currency: order.currency },
    });
    expect(await buyer.getOrder(order.orderId)).toEqual(cancelled);
    expect((await api.getSeats(EVENT)).sold).not.toContain('E1');
  });

  it('turns each refusal into an ApiError with the problem+json', async () => {
    const [a, b] = [await api.newBuyer(), await api.newBuyer()];
    await a.hold(EVENT, ['D1']);
    const taken = await refusal(b.hold(EVENT, ['D1', 'D2']));
    expect(taken).toMatchObject({ status: 409, code: 'SEAT_UNAVAILABLE', seats: ['D1'] });
    expect(taken.problem?.title).toBe('Seat unavailable');
    expect(await refusal(b.release(EVENT, 'D1'))).toMatchObject({ status: 403, code: 'NOT_OWNER' });
    expect(await refusal(b.placeOrder(EVENT, ['D1'], 'k'))).toMatchObject({
      status: 409,
      code: 'SEAT_NOT_HELD',
      seats: ['D1'],
    });
    expect(await refusal(api.hold(EVENT, ['D3']))).toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    expect(await refusal(api.getEvent('no-such-event'))).toMatchObject({
      status: 404,
      code: 'EVENT_NOT_FOUND',
    });
    const other = await refusal(a.getOrder('00000000-0000-4000-8000-000000000000'));
    expect(other).toMatchObject({ status: 404, code: 'ORDER_NOT_FOUND' });
    expect(other.detail).toBe(other.problem?.detail);
  });

  it('creates and resets an event with the admin token, and only with it', async () => {
    const request = {
      id: `client-${mode}`,
      name: 'Client Night',
      venue,
      startsAt: '2031-01-01T20:00:00.000Z',
      currency: 'EUR',
    };
    const created = await api.createEvent(request);
    expect(created).toMatchObject({ id: request.id, seatCount: 3, venueName: 'Client Hall' });
    const buyer = await api.newBuyer();
    await buyer.placeOrder(
      request.id,
      (await buyer.hold(request.id, ['A1'])).holds.map((h) => h.seatId),
      'k1',
    );
    expect((await api.getSeats(request.id)).sold).toEqual(['A1']);
    await api.resetEvent(request.id);
    expect(await api.getSeats(request.id)).toMatchObject({ held: [], sold: [] });
    const buyerAsAdmin = new TicketmainClient({ baseUrl: server.url, adminToken: 'wrong' });
    expect(await refusal(buyerAsAdmin.resetEvent(request.id))).toMatchObject({ status: 401 });
  });

  it('says when the server cannot be reached, or answers what the contract does not say', async () => {
    const gone = new TicketmainClient({ baseUrl: 'http://127.0.0.1:1' });
    await expect(gone.listEvents()).rejects.toBeInstanceOf(NetworkError);
    // /health is no event list: the check refuses it rather than handing it on.
    const wrong = { ...calls.listEvents(), path: '/health' };
    await expect(api.send(wrong)).rejects.toBeInstanceOf(MalformedResponse);
  });
});
