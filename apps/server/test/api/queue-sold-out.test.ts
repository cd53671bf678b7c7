// Inventory-aware admission end to end: while the one seat is held nobody more is admitted; the
// hold expiring puts it back and admission goes on; the seat sold closes every waiting entry
// within a second; the order cancelled puts it back and admission goes on again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketmainClient } from '@ticketmain/client';
import { ADMIN_TOKEN, MODES, startServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { at, oneSeatEvent } from '../support/venues.js';

describe.each(MODES)('waiting room and the inventory (%s)', (mode) => {
  let server: TestServer;
  let admin: TicketmainClient;

  beforeAll(async () => {
    server = await startServer(mode, {
      env: { QUEUE_TICK_INTERVAL_MS: '20', HOLD_TTL_SECONDS: '2' },
    });
    admin = new TicketmainClient({ baseUrl: server.url, adminToken: ADMIN_TOKEN });
  });
  afterAll(() => server?.close());

  it('stops while held, goes on when the hold expires, closes when sold, opens when cancelled', async () => {
    const eventId = `sold-out-${mode}`;
    await admin.createEvent(oneSeatEvent(eventId, 'One Seat Night'));
    // 60 a minute: one admission a second, slow enough to see it stop.
    await admin.configureQueue(eventId, {
      opensAt: at(Date.now() - 1_000),
      salesStartAt: at(Date.now() + 300),
      admitPerMinute: 60,
    });
    const line = await Promise.all(Array.from({ length: 6 }, () => admin.newBuyer()));
    for (const b of line) await b.joinQueue(eventId);
    const entries = () => Promise.all(line.map((b) => b.queueEntry(eventId)));
    const admittedBuyer = async (number: number) =>
      until(`number ${number} admitted`, async () => {
        const all = await entries();
        const i = all.findIndex((e) => e.number === number && e.status === 'admitted');
        return i >= 0 ? line[i] : undefined;
      });

    // Held: nothing AVAILABLE, so no admission while the hold lasts.
    const first = await admittedBuyer(1);
    await first.hold(eventId, ['A1']);
    const heldAt = Date.now();
    const servedWhileHeld = (await first.queueEntry(eventId)).servedThrough;
    expect(servedWhileHeld).toBeLessThanOrEqual(2);
    while (Date.now() - heldAt < 1_500) {
      expect((await first.queueEntry(eventId)).servedThrough).toBe(servedWhileHeld);
      await new Promise((r) => setTimeout(r, 100));
    }
    // The hold expires (2 s): the seat is back, admission goes on.
    const next = await admittedBuyer(servedWhileHeld + 1);

    // Sold: every waiting entry closed within a second.
    const { holds } = await next.hold(eventId, ['A1']);
    const order = await next.placeOrder(
      eventId,
      holds.map((h) => h.seatId),
      `sold-out-${mode}`,
    );
    const soldAt = Date.now();
    const closed = await until('every waiting entry closed', async () => {
      const all = await entries();
      const waiting = all.filter((e) => e.status === 'waiting');
      return waiting.length === 0 ? all : undefined;
    });
    expect(Date.now() - soldAt).toBeLessThan(1_000);
    const servedAtSoldOut = closed[0]!.servedThrough;
    const stillClosed = closed.filter((e) => e.status === 'closed');
    expect(stillClosed.length).toBe(line.length - servedAtSoldOut);
    expect(stillClosed.length).toBeGreaterThan(0);
    // Nobody with a closed entry may hold.
    await expect(
      line[closed.findIndex((e) => e.status === 'closed')]!.hold(eventId, ['A1']),
    ).rejects.toMatchObject({ status: 403, code: 'QUEUE_ADMISSION_REQUIRED' });

    // Cancelled: the seat is back, the closed line waits and admission goes on.
    await admin.adminCancelOrder(order.orderId);
    await admittedBuyer(servedAtSoldOut + 1);
  }, 60_000);
});
