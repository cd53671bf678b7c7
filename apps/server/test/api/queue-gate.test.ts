// The waiting room's gate inside the hold (API.md "Waiting room"): while an event has a queue,
// only sessions it has admitted may hold, by seat or best available; orders of seats already
// held are not gated. 200 sessions race for one seat; 10 are admitted, and the rest must be
// refused 403 however the race goes. The invariants are checked afterwards on the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, TicketmainClient, calls } from '@ticketmain/client';
import type { VenueLayout } from '@ticketmain/protocol';
import { ADMIN_TOKEN, MODES, startServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { at } from '../support/venues.js';

const SESSIONS = 200;
const ADMITTED = 10;

function venue(seats: number): VenueLayout {
  return {
    name: 'Gate Hall',
    stage: { x: 0, y: 0, width: 100, height: 20, label: 'Stage' },
    sections: [
      {
        id: 'floor',
        name: 'Floor',
        price: 1_000,
        rows: [
          {
            label: 'A',
            seats: Array.from({ length: seats }, (_, i) => ({
              id: `A${i + 1}`,
              number: i + 1,
              x: i * 10,
              y: 40,
            })),
          },
        ],
      },
    ],
  };
}

/** The status and code of a call: a reply or a refusal, never thrown. */
async function outcome(
  promise: Promise<{ status: number }>,
): Promise<{ status: number; code?: string }> {
  try {
    return { status: (await promise).status };
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, code: error.code };
    throw error;
  }
}

describe.each(MODES)('the waiting room gate (%s)', (mode) => {
  let server: TestServer;
  let admin: TicketmainClient;
  let events = 0;

  beforeAll(async () => {
    server = await startServer(mode, { env: { QUEUE_TICK_INTERVAL_MS: '20' } });
    admin = new TicketmainClient({ baseUrl: server.url, adminToken: ADMIN_TOKEN });
  });
  afterAll(() => server?.close());

  /** An event of `seats` seats whose queue admits `admitted` buyers, then pauses; and the rest. */
  async function gatedEvent(seats: number, admitted: number, others: number) {
    const eventId = `gated-${mode}-${++events}`;
    await admin.createEvent({
      id: eventId,
      name: 'Gated Night',
      venue: venue(seats),
      startsAt: '2031-01-01T20:00:00.000Z',
      currency: 'EUR',
    });
    await admin.configureQueue(eventId, {
      opensAt: at(Date.now() - 1_000),
      salesStartAt: at(Date.now() + 500),
      admitPerMinute: 60_000,
    });
    const newBuyers = (count: number) =>
      Promise.all(Array.from({ length: count }, () => admin.newBuyer()));
    const first = await newBuyers(admitted);
    for (const buyer of first) await buyer.joinQueue(eventId);
    await until('the first buyers admitted', async () => {
      const entries = await Promise.all(first.map((b) => b.queueEntry(eventId)));
      return entries.every((e) => e.status === 'admitted');
    });
    // Paused: whoever joins from now on waits, numbered, and is never admitted.
    await admin.patchQueue(eventId, { paused: true });
    const rest = await newBuyers(others);
    await Promise.all(rest.slice(0, others / 2).map((b) => b.joinQueue(eventId)));
    for (const b of rest.slice(0, 3)) {
      expect(await b.queueEntry(eventId)).toMatchObject({ status: 'waiting' });
    }
    return { eventId, admitted: first, rest };
  }

  it('lets only admitted sessions hold when 200 race for one seat', async () => {
    const { eventId, admitted, rest } = await gatedEvent(1, ADMITTED, SESSIONS - ADMITTED);
    const everyone = [...admitted, ...rest].map((buyer, i) => ({ buyer, admitted: i < ADMITTED }));
    // Shuffled, so that admitted and not admitted requests interleave; half by seat, half best.
    everyone.sort(() => Math.random() - 0.5);
    const results = await Promise.all(
      everyone.map(async ({ buyer, admitted: isAdmitted }, i) => ({
        buyer,
        isAdmitted,
        ...(await outcome(
          i % 2 === 0
            ? buyer.send(calls.hold(eventId, ['A1']))
            : buyer.send(calls.holdBest(eventId, { quantity: 1 })),
        )),
      })),
    );
    const won = results.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    expect(won[0]?.isAdmitted).toBe(true);
    for (const r of results.filter((r) => !r.isAdmitted)) {
      expect(r).toMatchObject({ status: 403, code: 'QUEUE_ADMISSION_REQUIRED' });
    }
    for (const r of results.filter((r) => r.isAdmitted && r.status !== 201)) {
      expect(r.status).toBe(409);
      expect(['SEAT_UNAVAILABLE', 'NO_SEATS_AVAILABLE']).toContain(r.code);
    }
    // The store agrees: the seat is held by the winner alone.
    const seats = await admin.getSeats(eventId);
    expect(seats.held).toEqual(['A1']);
    const winner = won[0]!.buyer;
    expect((await winner.getSeats(eventId)).mine.map((h) => h.seatId)).toEqual(['A1']);
    // The order of a seat already held is not gated, paused queue or not.
    const order = await winner.placeOrder(eventId, ['A1'], `gate-${mode}`);
    expect(order.seats.map((s) => s.seatId)).toEqual(['A1']);
  });

  it('exposes the waiting room in /metrics: length, admissions, tick lag and refused joins', async () => {
    const { eventId } = await gatedEvent(3, 4, 6);
    const late = await admin.newBuyer();
    const notOpen = `closed-${mode}-${++events}`;
    await admin.createEvent({
      id: notOpen,
      name: 'Later Night',
      venue: venue(1),
      startsAt: '2031-01-01T20:00:00.000Z',
      currency: 'EUR',
    });
    await admin.configureQueue(notOpen, {
      opensAt: at(Date.now() + 60_000),
      salesStartAt: at(Date.now() + 120_000),
      admitPerMinute: 60,
      powBits: 20,
    });
    expect(await outcome(late.send(calls.joinQueue(notOpen)))).toMatchObject({ status: 409 });
    expect(await outcome(late.send(calls.joinQueue('arena-demo')))).toMatchObject({ status: 404 });
    const scrape = async () => {
      const reply = await fetch(`${server.url}/metrics`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(reply.status).toBe(200);
      return reply.text();
    };
    const value = (text: string, series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    // 4 admitted, then paused; 3 of the 6 others joined and wait.
    const text = await until('the ticker saw the paused queue', async () => {
      const t = await scrape();
      return value(t, `ticketmain_queue_waiting{event="${eventId}"}`) === 3 ? t : undefined;
    });
    expect(value(text, `ticketmain_queue_served_through{event="${eventId}"}`)).toBe(4);
    expect(value(text, `ticketmain_queue_admitted_total{event="${eventId}"}`)).toBe(4);
    expect(value(text, `ticketmain_queue_admit_per_minute{event="${eventId}"}`)).toBe(0);
    expect(value(text, 'ticketmain_queue_join_refusals_total{reason="QUEUE_NOT_OPEN"}')).toBe(1);
    expect(
      value(text, 'ticketmain_queue_join_refusals_total{reason="QUEUE_NOT_FOUND"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(value(text, 'ticketmain_queue_tick_lag_seconds_count')).toBeGreaterThan(0);
  });

  it('lets every session hold again once the event has no queue', async () => {
    const eventId = `open-${mode}-${++events}`;
    await admin.createEvent({
      id: eventId,
      name: 'Open Night',
      venue: venue(2),
      startsAt: '2031-01-01T20:00:00.000Z',
      currency: 'EUR',
    });
    const buyer = await admin.newBuyer();
    expect((await buyer.hold(eventId, ['A1'])).holds).toHaveLength(1);
    expect((await buyer.holdBest(eventId, { quantity: 1 })).holds).toHaveLength(1);
  });
});
