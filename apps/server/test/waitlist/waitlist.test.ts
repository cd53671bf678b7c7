// The waiting list of a sold-out event end to end (API.md "Cancellation, refunds and the waiting
// list"), in both modes: joining only while nothing is free, the offer a cancellation makes (its
// seats held for the entry's session, refused to anyone else), the purchase, a seat whose hold
// was released offered too, an offer that runs out passing to the next entry, seats no entry fits going back on sale, bad requests, and
// concurrent cancellations on two replicas.
import { randomUUID } from 'node:crypto';
import type { Order, WaitlistEntry } from '@ticketmain/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type OrProblem } from '../support/client.js';
import {
  ADMIN_TOKEN,
  MODES,
  serverForSuite,
  startServer,
  type SuiteServer,
  type TestServer,
} from '../support/server.js';
import { buy, createEvent, expectProblem } from '../support/tickets.js';
import { until } from '../support/wait.js';

const ALL_SEATS = [
  'S00',
  'S01',
  'S02',
  'S03',
  'S04',
  'S05',
  'S06',
  'S07',
  'S08',
  'S09',
  'V1',
  'V2',
];
/** Every seat of the test venue may go to one session: a sell-out takes two orders. */
const ENV = { MAX_SEATS_PER_SESSION: '12' };

type Entry = OrProblem<WaitlistEntry>;

/** A sold-out event: `first` bought by one order (to be cancelled), the rest by another. */
async function soldOut(suite: SuiteServer, first: string[]) {
  const eventId = await createEvent(suite.server.url);
  const rest = ALL_SEATS.filter((seatId) => !first.includes(seatId));
  const { order } = await buy(suite.server.url, eventId, first);
  await buy(suite.server.url, eventId, rest);
  return { eventId, order };
}

const join = (client: Client, eventId: string, body: unknown) =>
  client.request<Entry>('POST', `/api/events/${eventId}/waitlist`, { body });
const entryOf = (client: Client, eventId: string) =>
  client.request<Entry>('GET', `/api/events/${eventId}/waitlist`);
const cancel = (suite: SuiteServer, order: Order) =>
  suite.admin.request('POST', `/api/admin/orders/${order.orderId}/cancel`, { body: {} });
const orderSeats = (client: Client, eventId: string, seatIds: string[]) =>
  client.order(eventId, seatIds, randomUUID());

async function offered(client: Client, eventId: string): Promise<WaitlistEntry> {
  return until('the entry is offered', async () => {
    const reply = await entryOf(client, eventId);
    return reply.body.status === 'offered' ? reply.body : undefined;
  });
}

describe.each(MODES)('waiting list (%s)', (mode) => {
  const suite = serverForSuite(mode, { env: ENV });

  it('refuses to join while seats are free, and refuses bad requests', async () => {
    const eventId = await createEvent(suite.server.url);
    const client = await Client.session(suite.server.url);
    expectProblem(await join(client, eventId, { quantity: 2 }), 409, 'SEATS_AVAILABLE');
    expectProblem(await entryOf(client, eventId), 404, 'WAITLIST_NOT_JOINED');
    expectProblem(await join(client, eventId, { quantity: 0 }), 400, 'INVALID_REQUEST');
    expectProblem(await join(client, eventId, { quantity: 13 }), 400, 'INVALID_REQUEST');
    expectProblem(await join(client, eventId, { quantity: 101 }), 400, 'INVALID_REQUEST');
    expectProblem(await join(client, eventId, {}), 400, 'INVALID_REQUEST');
    const unknownSection = { quantity: 1, sectionIds: ['balcony'] };
    expectProblem(await join(client, eventId, unknownSection), 400, 'INVALID_REQUEST');
    expectProblem(await join(client, 'ev-none', { quantity: 1 }), 404, 'EVENT_NOT_FOUND');
    const anonymous = new Client(suite.server.url);
    expectProblem(await join(anonymous, eventId, { quantity: 1 }), 401, 'UNAUTHENTICATED');
  });

  it('offers the seats of a cancellation to the first entry, refuses them to others, and sells them', async () => {
    const { eventId, order } = await soldOut(suite, ['S04', 'S05']);
    const first = await Client.session(suite.server.url);
    const second = await Client.session(suite.server.url);
    const joined = await join(first, eventId, { quantity: 2 });
    expect(joined.status).toBe(201);
    expect(joined.body).toEqual({ status: 'waiting', position: 1, quantity: 2, holds: [] });
    // Joining again is the same entry; a later one waits behind it.
    const again = await join(first, eventId, { quantity: 5 });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(joined.body);
    expect((await join(second, eventId, { quantity: 2 })).body.position).toBe(2);
    // Durable in the ledger, in order of joining.
    const rows = await suite.server.db.query<{ quantity: number; status: string }>(
      'SELECT quantity, status FROM waitlist_entries WHERE event_id = $1 ORDER BY id',
      [eventId],
    );
    expect(rows).toEqual([
      { quantity: 2, status: 'waiting' },
      { quantity: 2, status: 'waiting' },
    ]);

    expect((await cancel(suite, order)).status).toBe(200);
    const offer = await offered(first, eventId);
    expect(offer.holds.map((hold) => hold.seatId).sort()).toEqual(['S04', 'S05']);
    expect(offer.position).toBe(0);
    // The offer lasts WAITLIST_OFFER_SECONDS (900 by default).
    const endsIn = Date.parse(offer.holds[0]?.expiresAt ?? '') - Date.now();
    expect(endsIn).toBeGreaterThan(800_000);
    expect(endsIn).toBeLessThanOrEqual(900_000);
    // The second entry moved up; the seats are held, and not for anyone else.
    expect((await entryOf(second, eventId)).body).toMatchObject({ status: 'waiting', position: 1 });
    const thief = await Client.session(suite.server.url);
    expectProblem(await thief.hold(eventId, ['S04']), 409, 'SEAT_UNAVAILABLE');
    expectProblem(await second.hold(eventId, ['S05']), 409, 'SEAT_UNAVAILABLE');
    expectProblem(await orderSeats(thief, eventId, ['S04']), 409, 'SEAT_NOT_HELD');
    // The session's own holds show them, as any hold.
    const mine = await first.seats(eventId);
    expect(mine.body.mine.map((hold) => hold.seatId).sort()).toEqual(['S04', 'S05']);

    const bought = await orderSeats(first, eventId, ['S04', 'S05']);
    expect(bought.status).toBe(201);
    expect((await entryOf(first, eventId)).body).toEqual({
      status: 'purchased',
      position: 0,
      quantity: 2,
      holds: [],
    });
    const live = await suite.server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM tickets WHERE event_id = $1 AND status = 'live'`,
      [eventId],
    );
    expect(live[0]?.n).toBe(ALL_SEATS.length);
  });

  it('skips entries the seats do not fit, and puts back on sale what no entry takes', async () => {
    const { eventId, order } = await soldOut(suite, ['S01', 'S02', 'S03']);
    const vipOnly = await Client.session(suite.server.url);
    const tooMany = await Client.session(suite.server.url);
    const one = await Client.session(suite.server.url);
    expect((await join(vipOnly, eventId, { quantity: 1, sectionIds: ['vip'] })).status).toBe(201);
    expect((await join(tooMany, eventId, { quantity: 4 })).status).toBe(201);
    expect((await join(one, eventId, { quantity: 1, sectionIds: ['main'] })).status).toBe(201);
    expect((await cancel(suite, order)).status).toBe(200);
    const offer = await offered(one, eventId);
    expect(offer.holds).toHaveLength(1);
    expect((await entryOf(vipOnly, eventId)).body).toMatchObject({
      status: 'waiting',
      position: 1,
    });
    expect((await entryOf(tooMany, eventId)).body).toMatchObject({
      status: 'waiting',
      position: 2,
    });
    // The other two seats are on sale again: anyone may hold them.
    const offeredSeat = offer.holds[0]?.seatId ?? '';
    const free = ['S01', 'S02', 'S03'].filter((seatId) => seatId !== offeredSeat);
    const buyer = await Client.session(suite.server.url);
    expect((await buyer.hold(eventId, free)).status).toBe(201);
  });
});

describe.each(MODES)('waiting list and seats freed by holds (%s)', (mode) => {
  const suite = serverForSuite(mode, { env: ENV });

  it('offers a seat whose hold was released on an event people wait for', async () => {
    const eventId = await createEvent(suite.server.url);
    await buy(
      suite.server.url,
      eventId,
      ALL_SEATS.filter((seatId) => seatId !== 'S06'),
    );
    // The last seat is held, not sold: the event is taken, so joining is allowed.
    const holder = await Client.session(suite.server.url);
    expect((await holder.hold(eventId, ['S06'])).status).toBe(201);
    const waiter = await Client.session(suite.server.url);
    expect((await join(waiter, eventId, { quantity: 1 })).status).toBe(201);
    expect((await entryOf(waiter, eventId)).body.status).toBe('waiting');

    expect((await holder.release(eventId, 'S06')).status).toBe(204);
    const offer = await offered(waiter, eventId);
    expect(offer.holds.map((hold) => hold.seatId)).toEqual(['S06']);
    expectProblem(await holder.hold(eventId, ['S06']), 409, 'SEAT_UNAVAILABLE');
    expect((await orderSeats(waiter, eventId, ['S06'])).status).toBe(201);
    expect((await entryOf(waiter, eventId)).body.status).toBe('purchased');
  });
});

describe.each(MODES)('waiting list offers that run out (%s)', (mode) => {
  const suite = serverForSuite(mode, { env: { ...ENV, WAITLIST_OFFER_SECONDS: '2' } });

  it('passes an offer that ran out to the next entry, never freeing its seats on the way', async () => {
    const { eventId, order } = await soldOut(suite, ['S07', 'S08']);
    const first = await Client.session(suite.server.url);
    const second = await Client.session(suite.server.url);
    expect((await join(first, eventId, { quantity: 2 })).status).toBe(201);
    expect((await join(second, eventId, { quantity: 2 })).status).toBe(201);
    expect((await cancel(suite, order)).status).toBe(200);
    const offer = await offered(first, eventId);
    const seats = offer.holds.map((hold) => hold.seatId).sort();
    expect(seats).toEqual(['S07', 'S08']);
    const endsIn = Date.parse(offer.holds[0]?.expiresAt ?? '') - Date.now();
    expect(endsIn).toBeLessThanOrEqual(2_000);

    // While it passes on, someone keeps trying to take the seats: never once do they get one.
    const thief = await Client.session(suite.server.url);
    let attempts = 0;
    let stolen = 0;
    const next = await until('the offer passed to the second entry', async () => {
      attempts += 1;
      if ((await thief.hold(eventId, ['S07'])).status === 201) stolen += 1;
      const reply = await entryOf(second, eventId);
      return reply.body.status === 'offered' ? reply.body : undefined;
    });
    expect(attempts).toBeGreaterThan(0);
    expect(stolen).toBe(0);
    expect(next.holds.map((hold) => hold.seatId).sort()).toEqual(seats);
    expect((await entryOf(first, eventId)).body).toMatchObject({ status: 'expired', holds: [] });
    // The first entry's session no longer holds them; the second buys them.
    expectProblem(await orderSeats(first, eventId, seats), 409, 'SEAT_NOT_HELD');
    expect((await orderSeats(second, eventId, seats)).status).toBe(201);
    expect((await entryOf(second, eventId)).body.status).toBe('purchased');
  });

  it('puts the seats of an offer that ran out back on sale when nobody else waits', async () => {
    const { eventId, order } = await soldOut(suite, ['S09']);
    const only = await Client.session(suite.server.url);
    expect((await join(only, eventId, { quantity: 1 })).status).toBe(201);
    expect((await cancel(suite, order)).status).toBe(200);
    await offered(only, eventId);
    await until('the offer ran out', async () => {
      return (await entryOf(only, eventId)).body.status === 'expired';
    });
    const buyer = await Client.session(suite.server.url);
    expect((await buyer.hold(eventId, ['S09'])).status).toBe(201);
  });
});

describe('waiting list on two replicas', () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    first = await startServer('services', { env: ENV });
    second = await startServer('services', { env: ENV, replicaOf: first });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('hands the seats of concurrent cancellations on both replicas to different entries, in order', async () => {
    const eventId = await createEvent(first.url);
    // Six orders of two seats sell the event out; eight buyers wait for two seats each.
    const pairs = Array.from({ length: 6 }, (_, i) => ALL_SEATS.slice(2 * i, 2 * i + 2));
    const orders = [];
    for (const pair of pairs) orders.push((await buy(first.url, eventId, pair)).order);
    const waiting = [];
    for (let i = 0; i < 8; i++) {
      const client = await Client.session(first.url);
      expect((await join(client, eventId, { quantity: 2 })).body.position).toBe(i + 1);
      waiting.push(client);
    }
    const admins = [first, second].map((server) => new Client(server.url, ADMIN_TOKEN));
    const answers = await Promise.all(
      orders.map((order, i) =>
        admins[i % 2]!.request('POST', `/api/admin/orders/${order.orderId}/cancel`, { body: {} }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(orders.map(() => 200));

    // The first six entries, and only they, are offered two seats each; no seat twice.
    const entries = await Promise.all(waiting.map((client) => entryOf(client, eventId)));
    expect(entries.map((entry) => entry.body.status)).toEqual([
      ...Array<string>(6).fill('offered'),
      'waiting',
      'waiting',
    ]);
    expect(entries.slice(6).map((entry) => entry.body.position)).toEqual([1, 2]);
    const offeredSeats = entries.flatMap((entry) => entry.body.holds.map((hold) => hold.seatId));
    expect(offeredSeats.sort()).toEqual([...ALL_SEATS].sort());
    for (const entry of entries.slice(0, 6)) expect(entry.body.holds).toHaveLength(2);
    // Each offer is the session's hold, seen from either replica; nothing is free.
    const onSecond = new Client(second.url, waiting[0]!.token);
    const mine = await onSecond.seats(eventId);
    expect(mine.body.mine.map((hold) => hold.seatId).sort()).toEqual(
      entries[0]!.body.holds.map((hold) => hold.seatId).sort(),
    );
    expect([...mine.body.held].sort()).toEqual([...ALL_SEATS].sort());
  });
});
