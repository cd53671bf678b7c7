// A cancelled seat is sold again, and never twice (API.md "Cancellation, refunds and the
// waiting list"): subscribers see it come back, the new buyer gets it, the old ticket is refused,
// a Redis state loss rebuilds from the live tickets only; and a storm of buyers while the
// organiser cancels keeps at most one live ticket per seat at every moment.
import { randomUUID } from 'node:crypto';
import type { CheckIn, Order, Problem, VenueLayout } from '@ticketmain/protocol';
import { describe, expect, it } from 'vitest';
import { Client, type OrProblem } from '../support/client.js';
import { layoutSeats, venue } from '../ledger/fixtures.js';
import { serverOnPrivateRedis } from '../support/server.js';
import { buy, expectProblem } from '../support/tickets.js';
import { Watcher } from '../support/watcher.js';

/** How soon a subscriber must see a cancelled seat free, from the cancel's answer. */
const RELEASE_DEADLINE_MS = 500;
const STORM_SEATS = Array.from({ length: 20 }, (_, i) => `T${String(i).padStart(2, '0')}`);
const STORM_BUYERS = 500;
/** Buyers in flight at once; the rest wait their turn. */
const STORM_PARALLEL = 64;
const ATTEMPTS_PER_BUYER = 3;

const stormVenue: VenueLayout = {
  ...venue,
  sections: [
    {
      id: 'main',
      name: 'Main',
      price: 2_500,
      rows: [{ label: 'T', seats: layoutSeats(STORM_SEATS) }],
    },
  ],
};

describe('cancel and resell (services, private Redis)', () => {
  const suite = serverOnPrivateRedis();

  async function newEvent(layout: VenueLayout = venue): Promise<string> {
    const id = `ev-${randomUUID().slice(0, 8)}`;
    const reply = await suite.admin.request('POST', '/api/admin/events', {
      body: {
        id,
        name: 'Resale',
        venue: layout,
        startsAt: '2031-01-01T20:00:00.000Z',
        currency: 'EUR',
      },
    });
    expect(reply.status).toBe(201);
    return id;
  }

  const cancel = (orderId: string) =>
    suite.admin.request<OrProblem<Order>>('POST', `/api/admin/orders/${orderId}/cancel`, {
      body: {},
    });

  const liveSeats = async (eventId: string) =>
    (
      await suite.server.db.query<{ seat_id: string }>(
        `SELECT seat_id FROM tickets WHERE event_id = $1 AND status = 'live' ORDER BY seat_id`,
        [eventId],
      )
    ).map((row) => row.seat_id);

  it('frees the seats for subscribers at once, sells one again, refuses the old ticket, and survives a state loss', async () => {
    const { server, redis, admin } = suite;
    const eventId = await newEvent();
    const watcher = await Watcher.subscribe(server.url, eventId);
    try {
      // A buys X and Y; the organiser cancels; a subscriber sees both free.
      const { client: buyerA, order: first } = await buy(server.url, eventId, ['S01', 'S02']);
      await watcher.until(
        () => watcher.seats.get('S01') === 'SOLD' && watcher.seats.get('S02') === 'SOLD',
      );
      const sent = Date.now();
      const cancelled = await cancel(first.orderId);
      const answered = Date.now();
      expect(cancelled.status).toBe(200);
      await watcher.until(
        () => !watcher.seats.has('S01') && !watcher.seats.has('S02'),
        RELEASE_DEADLINE_MS,
      );
      console.info(
        `cancel → subscriber sees the seats free: ${Date.now() - sent} ms from the request, ` +
          `${Date.now() - answered} ms after its answer (deadline ${RELEASE_DEADLINE_MS} ms)`,
      );
      expect(watcher.untoldGaps).toEqual([]);

      // B buys X; A's ticket for X is refused at the gate, B's is let in.
      const { client: buyerB, order: second } = await buy(server.url, eventId, ['S01']);
      await watcher.until(() => watcher.seats.get('S01') === 'SOLD');
      const scan = (code: string) =>
        admin.request<CheckIn & Problem>('POST', `/api/events/${eventId}/checkins`, {
          body: { code },
        });
      const oldTicket = first.tickets.find((t) => t.seatId === 'S01');
      expectProblem(await scan(oldTicket?.code ?? ''), 409, 'TICKET_CANCELLED');
      expect((await scan(second.tickets[0]?.code ?? '')).status).toBe(201);
      const rows = await server.db.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM tickets WHERE event_id = $1 AND seat_id = 'S01'
          GROUP BY status ORDER BY status`,
        [eventId],
      );
      expect(rows).toEqual([
        { status: 'cancelled', n: 1 },
        { status: 'live', n: 1 },
      ]);

      // Redis loses everything: the rebuild takes the live tickets only. X is SOLD (to B: B's
      // seat counts towards B's limit, not A's), Y, cancelled and not sold again, is free.
      const keysBefore = await redis.dbsize();
      await redis.flushall();
      expect(await redis.dbsize()).toBe(0);
      console.info(`cancel and resell: 1 of 1 planned FLUSHALL, ${keysBefore} keys lost`);
      const stranger = await Client.session(server.url);
      const taken = await stranger.hold(eventId, ['S01']);
      expect(taken.status).toBe(409);
      expect(taken.body.seats).toEqual(['S01']);
      const seats = await stranger.seats(eventId);
      expect(seats.body.sold).toEqual(['S01']);
      expect(seats.body.held).toEqual([]);
      // Whose: the rebuilt seat counts towards B's 8-seat limit, A's cancelled ones towards nobody's.
      const eight = ['S00', 'S02', 'S03', 'S04', 'S05', 'S06', 'S07', 'S08'];
      expect((await buyerA.hold(eventId, eight)).status).toBe(201);
      for (const seatId of eight) expect((await buyerA.release(eventId, seatId)).status).toBe(204);
      expectProblem(await buyerB.hold(eventId, eight), 422, 'HOLD_LIMIT');
      expect(
        (
          await buyerB.hold(
            eventId,
            eight.filter((s) => s !== 'S02'),
          )
        ).status,
      ).toBe(201);
      expect((await stranger.hold(eventId, ['S02'])).status).toBe(201);
      expect(await liveSeats(eventId)).toEqual(['S01']);
    } finally {
      watcher.close();
    }
  });

  it('keeps one live ticket per seat at every moment of a storm of buyers while the organiser cancels', async () => {
    const { server } = suite;
    const eventId = await newEvent(stormVenue);
    let random = 7;
    const next = (n: number) => (random = (random * 1103515245 + 12345) % 2 ** 31) % n;
    const buyers = await Promise.all(
      Array.from({ length: STORM_BUYERS }, () => Client.session(server.url)),
    );
    const statuses = new Map<string, number>();
    const count = (what: string) => statuses.set(what, (statuses.get(what) ?? 0) + 1);
    const placed: string[] = [];
    let done = false;

    const buyOne = async (client: Client, b: number) => {
      for (let attempt = 0; attempt < ATTEMPTS_PER_BUYER; attempt++) {
        // A buyer picks among the seats the map shows free, as the seat map lets one do.
        const view = await client.seats(eventId);
        const taken = new Set([...view.body.sold, ...view.body.held]);
        const free = STORM_SEATS.filter((seatId) => !taken.has(seatId));
        const choice = free.length > 0 ? free : STORM_SEATS;
        const seat = choice[next(choice.length)] ?? 'T00';
        const hold = await client.hold(eventId, [seat]);
        count(`hold ${hold.status}`);
        if (hold.status !== 201) continue;
        const order = await client.order(eventId, [seat], `storm-${b}-${attempt}`);
        count(`order ${order.status}`);
        if (order.status === 201) {
          placed.push(order.body.orderId);
          return;
        }
      }
    };
    const storm = (async () => {
      let cursor = 0;
      await Promise.all(
        Array.from({ length: STORM_PARALLEL }, async () => {
          for (let b = cursor++; b < buyers.length; b = cursor++) await buyOne(buyers[b]!, b);
        }),
      );
    })().finally(() => (done = true));

    // The organiser cancels orders of these seats as they are sold, two at a time.
    const cancelled = new Set<string>();
    const organiser = (async () => {
      while (!done) {
        const live = await server.db.query<{ order_id: string }>(
          `SELECT DISTINCT order_id::text FROM tickets WHERE event_id = $1 AND status = 'live'`,
          [eventId],
        );
        const picked = [live[next(live.length + 1)], live[next(live.length + 1)]].filter(
          (row) => row !== undefined,
        );
        const replies = await Promise.all(picked.map((row) => cancel(row.order_id)));
        for (const reply of replies) {
          expect(reply.status).toBe(200);
          cancelled.add(reply.body.orderId);
        }
      }
    })();

    // PostgreSQL sampled all along: never two live tickets for one seat.
    let samples = 0;
    let doubles = 0;
    const sampler = (async () => {
      while (!done) {
        const rows = await server.db.query<{ seat_id: string }>(
          `SELECT seat_id FROM tickets WHERE event_id = $1 AND status = 'live'
            GROUP BY seat_id HAVING count(*) > 1`,
          [eventId],
        );
        samples += 1;
        doubles += rows.length;
      }
    })();
    await Promise.all([storm, organiser, sampler]);

    const summary = [...statuses].map(([what, n]) => `${what}: ${n}`).join(', ');
    console.info(
      `cancel storm: ${STORM_BUYERS} buyers over ${STORM_SEATS.length} seats, ${placed.length} orders, ` +
        `${cancelled.size} orders cancelled, ${samples} PostgreSQL samples, ${doubles} seats with two live tickets; ${summary}`,
    );
    expect(doubles).toBe(0);
    expect(samples).toBeGreaterThan(0);
    expect(cancelled.size).toBeGreaterThan(0);
    expect([...statuses.keys()].filter((what) => / 5\d\d$/.test(what))).toEqual([]);

    // Every 201 is live or cancelled, wholly; the ledger holds no order but those.
    const orders = await server.db.query<{ id: string; cancelled: boolean; statuses: string[] }>(
      `SELECT o.id::text, o.cancelled_at IS NOT NULL AS cancelled,
          array_agg(DISTINCT t.status) AS statuses
        FROM orders o JOIN tickets t ON t.event_id = o.event_id AND t.order_id = o.id
        WHERE o.event_id = $1 GROUP BY o.id`,
      [eventId],
    );
    expect(orders.map((o) => o.id).sort()).toEqual([...placed].sort());
    for (const order of orders) {
      expect(order.statuses).toEqual([order.cancelled ? 'cancelled' : 'live']);
    }
    expect(
      orders
        .filter((o) => o.cancelled)
        .map((o) => o.id)
        .sort(),
    ).toEqual([...cancelled].sort());
    // Seats sold again after a cancellation: the storm did resell.
    const resold = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT seat_id FROM tickets WHERE event_id = $1
        GROUP BY seat_id HAVING count(*) > 1) AS seats`,
      [eventId],
    );
    console.info(
      `cancel storm: ${resold[0]?.n} of ${STORM_SEATS.length} seats sold more than once`,
    );
    expect(resold[0]?.n).toBeGreaterThan(0);

    // The hold store agrees with the ledger: SOLD exactly where a live ticket is.
    const snapshot = await server.store.snapshot(eventId);
    if (!snapshot.ok) throw new Error('the event state is missing');
    expect([...snapshot.sold].sort()).toEqual(await liveSeats(eventId));
  }, 180_000);
});
