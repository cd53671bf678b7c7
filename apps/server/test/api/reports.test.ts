// The organiser's report after a storm of holds, orders and cancellations: per section sold +
// held + available = capacity, sold equal to the ledger's live tickets, held to the store's live
// holds, revenue to the sum of the live orders (cancelled ones excluded); orders per minute; the CSV download; admin only; bad input refused.
import type { EventReport } from '@ticketmain/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client.js';
import { ADMIN_TOKEN, MODES, startServer, type TestServer } from '../support/server.js';

const EVENT = 'arena-demo';
const BUYERS = 40;

describe.each(MODES)('event report (%s)', (mode) => {
  let server: TestServer;
  let admin: Client;
  /** Orders placed, and those of them cancelled during the storm. */
  let placed = 0;
  let cancelled = 0;
  /** Seats of cancelled orders that another buyer held again during the storm. */
  let regained = 0;

  beforeAll(async () => {
    server = await startServer(mode);
    admin = new Client(server.url, ADMIN_TOKEN);
    // The storm: 40 buyers at once, each holding two seats of a row (its own pair); then at
    // once half of them buy while every one of them tries a seat of another's pair (refused).
    const rows = ['C', 'D', 'G', 'H', 'M', 'N', 'T', 'U'];
    const pairOf = (i: number) => {
      const row = rows[i % rows.length]!;
      const first = 1 + Math.floor(i / rows.length) * 2;
      return [`${row}${first}`, `${row}${first + 1}`];
    };
    const buyers = await Promise.all(
      Array.from({ length: BUYERS }, async (_, i) => {
        const buyer = await Client.session(server.url);
        expect((await buyer.hold(EVENT, pairOf(i))).status).toBe(201);
        return buyer;
      }),
    );
    const orders = new Map<number, string>();
    await Promise.all(
      buyers.map(async (buyer, i) => {
        const other = pairOf((i + 1) % BUYERS)[0]!;
        const [taken, order] = await Promise.all([
          buyer.hold(EVENT, [other]),
          i % 2 === 0 ? buyer.order(EVENT, pairOf(i), `storm-${i}`) : undefined,
        ]);
        expect(taken.status).toBe(409);
        if (order !== undefined) {
          expect(order.status).toBe(201);
          orders.set(i, order.body.orderId);
          placed++;
        }
      }),
    );
    // Then at once: the organiser cancels every other order (refunds of all, half or nothing),
    // a quarter of the buyers still holding buy, and a newcomer per cancelled order grabs one
    // of its seats (held if the cancellation freed it first, refused otherwise).
    await Promise.all(
      buyers.map(async (buyer, i) => {
        if (i % 4 === 0) {
          const refund = [undefined, 0, 150][(i / 4) % 3];
          const [cancel, grab] = await Promise.all([
            admin.request('POST', `/api/admin/orders/${orders.get(i)}/cancel`, {
              body: refund === undefined ? {} : { refund },
            }),
            Client.session(server.url).then((other) => other.hold(EVENT, [pairOf(i)[0]!])),
          ]);
          expect(cancel.status).toBe(200);
          cancelled++;
          expect([201, 409]).toContain(grab.status);
          if (grab.status === 201) regained++;
        } else if (i % 4 === 1) {
          expect((await buyer.order(EVENT, pairOf(i), `storm-late-${i}`)).status).toBe(201);
          placed++;
        }
      }),
    );
  });
  afterAll(() => server?.close());

  it('adds up, and agrees with the ledger and the hold store', async () => {
    const reply = await admin.request<EventReport>('GET', `/api/admin/events/${EVENT}/report`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    const report = reply.body;
    for (const s of report.sections) {
      expect(s.sold + s.held + s.available, s.sectionId).toBe(s.capacity);
    }
    const total = (key: 'capacity' | 'sold' | 'held' | 'available' | 'revenue') =>
      report.sections.reduce((sum, s) => sum + s[key], 0);
    expect(report.capacity).toBe(900);
    for (const key of ['capacity', 'sold', 'held', 'available', 'revenue'] as const) {
      expect(report[key], key).toBe(total(key));
    }
    const [tickets] = await server.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM tickets WHERE status = 'live'",
    );
    // Revenue is that of the live orders: a cancelled one counts for nothing, whatever it refunded.
    const [revenue] = await server.db.query<{ cents: string }>(
      'SELECT coalesce(sum(total_cents), 0)::text AS cents FROM orders WHERE cancelled_at IS NULL',
    );
    const [gone] = await server.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM orders WHERE cancelled_at IS NOT NULL',
    );
    expect(placed).toBe(BUYERS / 2 + BUYERS / 4);
    expect(cancelled).toBe(BUYERS / 4);
    expect(gone?.n).toBe(cancelled);
    expect(report.sold).toBe(tickets?.n);
    expect(report.sold).toBe(2 * (placed - cancelled)); // two seats per live order
    expect(report.revenue).toBe(Number(revenue?.cents));
    const snapshot = await new Client(server.url).seats(EVENT);
    expect(report.held).toBe(snapshot.body.held.length);
    // The pairs of the quarter that never bought, and the seats regained from cancellations.
    expect(report.held).toBe(2 * (BUYERS / 4) + regained);
    console.log(
      `[reports] ${mode}: ${cancelled} cancelled during the storm, ${regained} of their seats held again at once`,
    );
  });

  it('counts the orders of the current minute, and gives 60 minutes oldest first', async () => {
    const { body } = await admin.request<EventReport>('GET', `/api/admin/events/${EVENT}/report`);
    expect(body.ordersPerMinute).toHaveLength(60);
    const minutes = body.ordersPerMinute.map((m) => Date.parse(m.minute));
    for (let i = 1; i < minutes.length; i++) expect(minutes[i]! - minutes[i - 1]!).toBe(60_000);
    const sums = body.ordersPerMinute.reduce(
      (acc, m) => ({
        orders: acc.orders + m.orders,
        tickets: acc.tickets + m.tickets,
        revenue: acc.revenue + m.revenue,
      }),
      { orders: 0, tickets: 0, revenue: 0 },
    );
    // Cancelled orders drop out of their minute.
    expect(sums).toEqual({
      orders: placed - cancelled,
      tickets: body.sold,
      revenue: body.revenue,
    });
  });

  it('downloads as CSV, one line per section and a total', async () => {
    const reply = await admin.request<string>(
      'GET',
      `/api/admin/events/${EVENT}/report?format=csv`,
    );
    expect(reply.status).toBe(200);
    expect(reply.contentType).toContain('text/csv');
    expect(reply.headers.get('content-disposition')).toBe(
      `attachment; filename="${EVENT}-report.csv"`,
    );
    const lines = String(reply.body).trimEnd().split('\r\n');
    expect(lines[0]).toBe('section_id,name,capacity,sold,held,available,revenue_cents,currency');
    const json = (await admin.request<EventReport>('GET', `/api/admin/events/${EVENT}/report`))
      .body;
    expect(lines.slice(1, -1)).toEqual(
      json.sections.map((s) =>
        [s.sectionId, s.name, s.capacity, s.sold, s.held, s.available, s.revenue, 'USD'].join(','),
      ),
    );
    expect(lines.at(-1)).toBe(
      [
        'total',
        'All sections',
        900,
        json.sold,
        json.held,
        json.available,
        json.revenue,
        'USD',
      ].join(','),
    );
  });

  it("gives the waiting room's numbers once the event has one", async () => {
    const before = await admin.request<EventReport>('GET', `/api/admin/events/${EVENT}/report`);
    expect(before.body.queue).toBeNull();
    const now = Date.now();
    const settings = {
      opensAt: new Date(now - 60_000).toISOString(),
      salesStartAt: new Date(now - 1_000).toISOString(),
      // One a minute: nobody is admitted during the test (at most a second's worth accrues).
      admitPerMinute: 1,
    };
    expect(
      (await admin.request('PUT', `/api/admin/events/${EVENT}/queue`, { body: settings })).status,
    ).toBe(200);
    for (let i = 0; i < 3; i++) {
      const buyer = await Client.session(server.url);
      expect((await buyer.request('POST', `/api/events/${EVENT}/queue`, { body: {} })).status).toBe(
        201,
      );
    }
    // Joined after salesStartAt: numbered by the draw, which the admission job makes within a tick.
    await expect
      .poll(
        async () =>
          (await admin.request<EventReport>('GET', `/api/admin/events/${EVENT}/report`)).body.queue,
        { timeout: 5_000 },
      )
      .toEqual({ waiting: 3, admitted: 0, servedThrough: 0, admitPerMinute: 1, paused: false });
  });

  it('is for the organiser only, and refuses bad input', async () => {
    const buyer = await Client.session(server.url);
    expect((await buyer.request('GET', `/api/admin/events/${EVENT}/report`)).status).toBe(401);
    const unknown = await admin.request('GET', '/api/admin/events/no-such-event/report');
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toContain('application/problem+json');
    const format = await admin.request('GET', `/api/admin/events/${EVENT}/report?format=xls`);
    expect(format.status).toBe(400);
    expect(format.contentType).toContain('application/problem+json');
  });
});
