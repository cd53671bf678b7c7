// A receiver that answers 503 for 30 s loses nothing: every event of the orders placed while it
// was down reaches it once it is back (at least once), and per order in the order they happened
// (order.confirmed before ticket.checked_in). Real time: the retry schedule is scaled (0.008:
// 40 ms, 240 ms, 1 s, 4.8 s, 29 s), the outage is not.
import type { WebhookCreated } from '@ticketmain/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client.js';
import { Receiver } from '../support/receiver.js';
import { ADMIN_TOKEN, startServer, type TestServer } from '../support/server.js';
import { buy, createEvent } from '../support/tickets.js';
import { until } from '../support/wait.js';

const DOWN_MS = 30_000;
const SEATS = ['S00', 'S01', 'S02', 'S03', 'S04', 'S05', 'S06', 'S07', 'S08', 'S09'];

describe('a receiver down for 30 s', () => {
  let server: TestServer;
  let receiver: Receiver;

  beforeAll(async () => {
    server = await startServer('services', {
      env: {
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_RETRY_SCALE: '0.008',
        WEBHOOK_POLL_MS: '50',
      },
    });
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  it('gets every event once it is back, in order per order', { timeout: 120_000 }, async () => {
    const admin = new Client(server.url, ADMIN_TOKEN);
    const eventId = await createEvent(server.url);
    const created = await admin.request<WebhookCreated>('POST', '/api/admin/webhooks', {
      body: { url: receiver.url, events: ['order.confirmed', 'ticket.checked_in'] },
    });
    expect(created.status).toBe(201);
    const { secret } = created.body;
    const upAt = Date.now() + DOWN_MS;
    receiver.answer = () => (Date.now() < upAt ? 503 : 200);

    const orders = await Promise.all(SEATS.map((seat) => buy(server.url, eventId, [seat])));
    for (const { order } of orders) {
      const scan = await admin.request('POST', `/api/events/${eventId}/checkins`, {
        body: { code: order.tickets[0]?.code },
      });
      expect(scan.status).toBe(201);
    }

    const expected = orders.length * 2;
    const delivered = await until(
      'every event delivered',
      () => {
        const got = receiver.delivered(secret);
        return new Set(got.map((d) => d.id)).size >= expected && got;
      },
      90_000,
    );
    const refused = receiver.received.filter((r) => r.status === 503).length;
    expect(refused).toBeGreaterThan(0);
    expect(
      Math.min(...receiver.received.filter((r) => r.status === 200).map((r) => r.at)),
    ).toBeGreaterThanOrEqual(upAt);
    // In order per order: no request for an order's check-in before its confirmation got a 2xx.
    const all = receiver.verified(secret);
    for (const { order } of orders) {
      const mine = all.filter((d) => d.data.orderId === order.orderId);
      const confirmedAt = mine.findIndex((d) => d.type === 'order.confirmed' && d.status === 200);
      const firstCheckIn = mine.findIndex((d) => d.type === 'ticket.checked_in');
      expect(confirmedAt, order.orderId).toBeGreaterThanOrEqual(0);
      expect(firstCheckIn, order.orderId).toBeGreaterThan(confirmedAt);
    }
    expect(delivered.length).toBeGreaterThanOrEqual(expected);
    console.info(
      `receiver down 30 s: ${refused} attempts answered 503, ${delivered.length} deliveries of ${expected} events after it came back`,
    );
  });
});
