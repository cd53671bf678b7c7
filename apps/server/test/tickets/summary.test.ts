// The gates' own reads: GET /api/events/:eventId/checkins/summary (checked in of expected, live
// tickets only) and the revocations list, both with a scanner token of the event or the admin
// token, never another event's token or no token.
import type { CheckInSummary, Order } from '@ticketmain/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client.js';
import { ADMIN_TOKEN, MODES, startServer, type TestServer } from '../support/server.js';
import { buy, createEvent, expectProblem } from '../support/tickets.js';

describe.each(MODES)('the scanner summary and revocations (%s)', (mode) => {
  let server: TestServer;
  let admin: Client;
  let eventA: string;
  let eventB: string;
  let scannerA: Client;
  let scannerB: Client;

  beforeAll(async () => {
    server = await startServer(mode);
    admin = new Client(server.url, ADMIN_TOKEN);
    [eventA, eventB] = await Promise.all([createEvent(server.url), createEvent(server.url)]);
    const token = async (eventId: string) =>
      (
        await admin.request<{ token: string }>(
          'POST',
          `/api/admin/events/${eventId}/scanner-tokens`,
        )
      ).body.token;
    scannerA = new Client(server.url, await token(eventA));
    scannerB = new Client(server.url, await token(eventB));
  });
  afterAll(() => server?.close());

  const summary = (gate: Client, eventId: string) =>
    gate.request<CheckInSummary>('GET', `/api/events/${eventId}/checkins/summary`);

  it('counts live tickets and the checked-in ones; a cancelled ticket is neither', async () => {
    const empty = await summary(scannerA, eventA);
    expect(empty.status).toBe(200);
    expect(empty.headers.get('cache-control')).toBe('no-store');
    expect(empty.body).toEqual({ checkedIn: 0, expected: 0 });

    const { order } = await buy(server.url, eventA, ['S01', 'S02', 'S03']);
    const [first, second, third] = order.tickets as [
      Order['tickets'][0],
      Order['tickets'][0],
      Order['tickets'][0],
    ];
    expect((await summary(scannerA, eventA)).body).toEqual({ checkedIn: 0, expected: 3 });
    const scan = (code: string) =>
      scannerA.request('POST', `/api/events/${eventA}/checkins`, { body: { code } });
    expect((await scan(first.code)).status).toBe(201);
    expect((await scan(first.code)).status).toBe(409);
    expect((await scan(second.code)).status).toBe(201);
    expect((await summary(scannerA, eventA)).body).toEqual({ checkedIn: 2, expected: 3 });
    // Cancellation lands elsewhere; its effect on the ticket row is what the count reads.
    await server.db.query(
      "UPDATE tickets SET status = 'cancelled', cancelled_at = now() WHERE ticket_id = ANY($1)",
      [[second.ticketId, third.ticketId]],
    );
    expect((await summary(admin, eventA)).body).toEqual({ checkedIn: 1, expected: 1 });
    // The other event is untouched.
    expect((await summary(scannerB, eventB)).body).toEqual({ checkedIn: 0, expected: 0 });
  });

  it('lets the gates of the event read the revocations', async () => {
    const since = encodeURIComponent(new Date(Date.now() - 60_000).toISOString());
    const path = `/api/admin/events/${eventA}/revocations?since=${since}`;
    const mine = await scannerA.request<{ ticketIds: string[] }>('GET', path);
    expect(mine.status).toBe(200);
    expect(mine.body.ticketIds).toHaveLength(2);
    expect((await admin.request('GET', path)).status).toBe(200);
    expectProblem(await scannerB.request('GET', path), 403, 'FORBIDDEN');
    expectProblem(await new Client(server.url).request('GET', path), 401, 'UNAUTHENTICATED');
  });

  it('refuses other tokens, none, and an unknown event', async () => {
    expectProblem(await summary(scannerB, eventA), 403, 'FORBIDDEN');
    expectProblem(await summary(new Client(server.url), eventA), 401, 'UNAUTHENTICATED');
    const buyer = await Client.session(server.url);
    expectProblem(await summary(buyer, eventA), 401, 'UNAUTHENTICATED');
    expectProblem(await summary(admin, 'no-such-event'), 404, 'EVENT_NOT_FOUND');
  });
});
