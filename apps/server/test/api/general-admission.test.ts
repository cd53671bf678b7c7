// General admission: holds by quantity, place ids minted by the store, all or nothing with seats,
// orders and tickets per place, cancellation freeing places, and the sold count rebuilt after
// Redis loses everything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CreateEventRequest,
  HoldResponse,
  Order,
  Problem,
  SeatSnapshot,
} from '@ticketmain/protocol';
import { Client } from '../support/client.js';
import {
  ADMIN_TOKEN,
  MODES,
  serverOnPrivateRedis,
  startServer,
  uniqueName,
  type TestServer,
} from '../support/server.js';

type Answer = HoldResponse & Problem;

function gaEvent(id: string, capacity: number): CreateEventRequest {
  return {
    id,
    name: 'Standing floor',
    startsAt: '2031-01-01T20:00:00.000Z',
    currency: 'EUR',
    venue: {
      name: 'Hall',
      stage: { x: 0, y: 0, width: 100, height: 10, label: 'Stage' },
      sections: [
        {
          id: 'seats',
          name: 'Balcony',
          price: 5_000,
          rows: [
            {
              label: 'A',
              seats: [1, 2, 3].map((n) => ({ id: `A${n}`, number: n, x: n * 10, y: 50 })),
            },
          ],
        },
        {
          id: 'floor',
          name: 'Floor',
          price: 3_000,
          capacity,
          area: { x: 0, y: 20, width: 100, height: 20 },
        },
      ],
    },
  };
}

function gaHold(client: Client, eventId: string, body: unknown) {
  return client.request<Answer>('POST', `/api/events/${eventId}/holds`, { body });
}

async function create(admin: Client, request: CreateEventRequest): Promise<void> {
  const reply = await admin.request('POST', '/api/admin/events', { body: request });
  expect(reply.status).toBe(201);
}

const gaOf = (snapshot: SeatSnapshot) => snapshot.ga?.find((g) => g.sectionId === 'floor');

describe.each(MODES)('general admission (%s)', (mode) => {
  let server: TestServer;
  let admin: Client;
  beforeAll(async () => {
    server = await startServer(mode, { env: { MAX_SEATS_PER_SESSION: '10' } });
    admin = new Client(server.url, ADMIN_TOKEN);
  });
  afterAll(async () => {
    await server.close();
  });

  it('describes the GA section in the event detail', async () => {
    const eventId = uniqueName('ga-detail');
    await create(admin, gaEvent(eventId, 50));
    const detail = await admin.request<{
      sections: { id: string; kind: string; capacity?: number }[];
      seatCount: number;
    }>('GET', `/api/events/${eventId}`);
    expect(detail.body.sections.map((s) => [s.id, s.kind, s.capacity])).toEqual([
      ['seats', 'seated', undefined],
      ['floor', 'ga', 50],
    ]);
    expect(detail.body.seatCount).toBe(53);
  });

  it('80 buyers for 50 places at once: exactly 50 get one, the rest 409, no place twice', async () => {
    const eventId = uniqueName('ga-rush');
    await create(admin, gaEvent(eventId, 50));
    const buyers = await Promise.all(Array.from({ length: 80 }, () => Client.session(server.url)));
    const replies = await Promise.all(
      buyers.map((b) => gaHold(b, eventId, { ga: [{ sectionId: 'floor', quantity: 1 }] })),
    );
    const won = replies.filter((r) => r.status === 201);
    const lost = replies.filter((r) => r.status === 409);
    expect(won).toHaveLength(50);
    expect(lost).toHaveLength(30);
    for (const r of lost) {
      expect(r.body.code).toBe('SEAT_UNAVAILABLE');
      expect(r.body.sections).toEqual(['floor']);
    }
    const places = won.map((r) => r.body.holds[0]!.seatId);
    expect(new Set(places).size).toBe(50);
    for (const r of won) expect(r.body.holds[0]!.sectionId).toBe('floor');
    const view = await buyers[0]!.seats(eventId);
    expect(gaOf(view.body)).toEqual({ sectionId: 'floor', capacity: 50, available: 0 });
    // Places are counted, never listed as seats.
    expect(view.body.held).toEqual([]);
    console.info(`GA rush: 80 buyers, 50 places: ${won.length} held, ${lost.length} refused`);
  });

  it('a mixed hold whose GA part is sold out changes nothing; a release frees a place', async () => {
    const eventId = uniqueName('ga-mixed');
    await create(admin, gaEvent(eventId, 2));
    const a = await Client.session(server.url);
    const b = await Client.session(server.url);
    const first = await gaHold(a, eventId, { ga: [{ sectionId: 'floor', quantity: 2 }] });
    expect(first.status).toBe(201);
    const mixed = await gaHold(b, eventId, {
      seatIds: ['A1', 'A2'],
      ga: [{ sectionId: 'floor', quantity: 1 }],
    });
    expect(mixed.status).toBe(409);
    expect(mixed.body.sections).toEqual(['floor']);
    const view = await b.seats(eventId);
    expect(view.body.held).toEqual([]);
    expect(view.body.mine).toEqual([]);
    // Released place: found again by the next hold (capacity stays exact).
    const place = first.body.holds[0]!.seatId;
    expect((await a.release(eventId, place)).status).toBe(204);
    const again = await gaHold(b, eventId, {
      seatIds: ['A1', 'A2'],
      ga: [{ sectionId: 'floor', quantity: 1 }],
    });
    expect(again.status).toBe(201);
    expect(again.body.holds.map((h) => [h.seatId, h.sectionId])).toEqual([
      ['A1', 'seats'],
      ['A2', 'seats'],
      [place, 'floor'],
    ]);
  });

  it("refuses a sold-out area without the store's search, and finds a released place at once", async () => {
    const eventId = uniqueName('ga-full');
    await create(admin, gaEvent(eventId, 3));
    const a = await Client.session(server.url);
    const first = await gaHold(a, eventId, { ga: [{ sectionId: 'floor', quantity: 3 }] });
    expect(first.status).toBe(201);
    // The snapshot brings this replica's mirror up to the store's last change.
    expect(gaOf((await a.seats(eventId)).body)?.available).toBe(0);
    const store = server.store;
    const hold = store.hold.bind(store);
    let storeHolds = 0;
    store.hold = (args) => {
      storeHolds += 1;
      return hold(args);
    };
    try {
      const buyers = await Promise.all(
        Array.from({ length: 20 }, () => Client.session(server.url)),
      );
      const replies = await Promise.all(
        buyers.map((b) => gaHold(b, eventId, { ga: [{ sectionId: 'floor', quantity: 1 }] })),
      );
      for (const reply of replies) {
        expect(reply.status).toBe(409);
        expect(reply.body).toMatchObject({ code: 'SEAT_UNAVAILABLE', sections: ['floor'] });
      }
      expect(storeHolds).toBe(0);
      // A release, then at once a hold elsewhere: the place is found, by the store.
      expect((await a.release(eventId, first.body.holds[0]!.seatId)).status).toBe(204);
      const again = await gaHold(buyers[0]!, eventId, {
        ga: [{ sectionId: 'floor', quantity: 1 }],
      });
      expect(again.status).toBe(201);
      expect(storeHolds).toBe(1);
    } finally {
      store.hold = hold;
    }
  });

  it('orders places: one ticket each with a code; cancellation frees them', async () => {
    const eventId = uniqueName('ga-order');
    await create(admin, gaEvent(eventId, 3));
    const a = await Client.session(server.url);
    const held = await gaHold(a, eventId, { ga: [{ sectionId: 'floor', quantity: 3 }] });
    expect(held.status).toBe(201);
    const places = held.body.holds.map((h) => h.seatId);
    const order = await a.order(eventId, places, 'ga-order-1');
    expect(order.status).toBe(201);
    const placed = order.body as Order;
    expect(placed.total).toBe(9_000);
    expect(placed.tickets).toHaveLength(3);
    for (const ticket of placed.tickets) expect(ticket.code.split('.')).toHaveLength(3);
    expect(gaOf((await a.seats(eventId)).body)?.available).toBe(0);
    const cancel = await admin.request('POST', `/api/admin/orders/${placed.orderId}/cancel`);
    expect(cancel.status).toBe(200);
    const b = await Client.session(server.url);
    const after = await gaHold(b, eventId, { ga: [{ sectionId: 'floor', quantity: 3 }] });
    expect(after.status).toBe(201);
    expect(after.body.holds.map((h) => h.seatId).sort()).toEqual([...places].sort());
  });

  it('refuses bad GA input with problem+json and holds nothing', async () => {
    const eventId = uniqueName('ga-bad');
    await create(admin, gaEvent(eventId, 50));
    const a = await Client.session(server.url);
    const cases: [unknown, number, string][] = [
      [{ ga: [{ sectionId: 'floor', quantity: 0 }] }, 400, 'INVALID_REQUEST'],
      [{ ga: [{ sectionId: 'floor', quantity: 11 }] }, 400, 'INVALID_REQUEST'],
      [{ seatIds: ['A1'], ga: [{ sectionId: 'floor', quantity: 10 }] }, 400, 'INVALID_REQUEST'],
      [{}, 400, 'INVALID_REQUEST'],
      [{ ga: [{ sectionId: 'nowhere', quantity: 1 }] }, 422, 'UNKNOWN_SECTION'],
      [{ ga: [{ sectionId: 'seats', quantity: 1 }] }, 422, 'WRONG_SECTION_KIND'],
      [{ seatIds: ['floor.1'] }, 422, 'WRONG_SECTION_KIND'],
    ];
    for (const [body, status, code] of cases) {
      const reply = await gaHold(a, eventId, body);
      expect(reply.status, JSON.stringify(body)).toBe(status);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(reply.body.code).toBe(code);
    }
    const view = await a.seats(eventId);
    expect(view.body.mine).toEqual([]);
    expect(gaOf(view.body)?.available).toBe(50);
  });

  it('refuses a layout with a bad GA section, naming the path', async () => {
    const bad = gaEvent(uniqueName('ga-layout'), 100_001);
    const reply = await admin.request<Problem>('POST', '/api/admin/events', { body: bad });
    expect(reply.status).toBe(400);
    expect(reply.body.detail).toMatch(/sections\/1/);
  });
});

describe('general admission after Redis loses everything (services)', () => {
  const suite = serverOnPrivateRedis();

  it('restores the sold count of the section from live tickets before the next hold', async () => {
    const { server, redis, admin } = suite;
    const eventId = uniqueName('ga-flush');
    await create(admin, gaEvent(eventId, 5));
    const a = await Client.session(server.url);
    const held = await gaHold(a, eventId, { ga: [{ sectionId: 'floor', quantity: 3 }] });
    expect(held.status).toBe(201);
    const places = held.body.holds.map((h) => h.seatId);
    expect((await a.order(eventId, places, 'ga-before-flush')).status).toBe(201);

    await redis.flushall();
    expect(await redis.dbsize()).toBe(0);

    const b = await Client.session(server.url);
    const tooMany = await gaHold(b, eventId, { ga: [{ sectionId: 'floor', quantity: 3 }] });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.sections).toEqual(['floor']);
    const two = await gaHold(b, eventId, { ga: [{ sectionId: 'floor', quantity: 2 }] });
    expect(two.status).toBe(201);
    for (const h of two.body.holds) expect(places).not.toContain(h.seatId);
    expect(gaOf((await b.seats(eventId)).body)?.available).toBe(0);
    console.info('GA state loss: 1 of 1 planned FLUSHALL; 3 sold places restored before the hold');
  });
});
