// Hold extension end to end (API.md "Hold extension"): one more HOLD_TTL_SECONDS from now for
// every hold of the session, once; the refusals are problem+json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Reply } from '../support/client.js';
import { MODES, startServer, type TestServer } from '../support/server.js';

const EVENT = 'arena-demo';
const TTL_SECONDS = 30;

function expectProblem(reply: Reply, status: number, code: string): void {
  expect(reply.status).toBe(status);
  expect(reply.contentType).toContain('application/problem+json');
  expect(reply.body).toMatchObject({ status, code });
}

const expiries = (reply: Reply<{ holds: { seatId: string; expiresAt: string }[] }>) =>
  new Map(reply.body.holds.map((h) => [h.seatId, Date.parse(h.expiresAt)]));

describe.each(MODES)('hold extension (%s)', (mode) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(mode, { env: { HOLD_TTL_SECONDS: String(TTL_SECONDS) } });
  });
  afterAll(() => server.close());

  it('gives every hold of the session the TTL again from now, once', async () => {
    const buyer = await Client.session(server.url);
    const other = await Client.session(server.url);
    const held = await buyer.hold(EVENT, ['B1', 'B2']);
    expect(held.status).toBe(201);
    expect((await other.hold(EVENT, ['B3'])).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const before = Date.now();
    const extended = await buyer.extend(EVENT);
    expect(extended.status).toBe(200);
    expect(extended.body.holds.map((h) => h.seatId)).toEqual(['B1', 'B2']);
    const after = expiries(extended);
    for (const [seatId, was] of expiries(held)) {
      expect(after.get(seatId)).toBeGreaterThan(was);
      expect(after.get(seatId)).toBeGreaterThanOrEqual(before + TTL_SECONDS * 1_000 - 1_000);
    }
    const mine = (await buyer.seats(EVENT)).body.mine;
    expect(new Map(mine.map((h) => [h.seatId, Date.parse(h.expiresAt)]))).toEqual(after);

    expectProblem(await buyer.extend(EVENT), 409, 'ALREADY_EXTENDED');
    // The other session's hold is its own to extend.
    expect((await other.extend(EVENT)).status).toBe(200);
  });

  it('refuses without a hold, without a session and for an unknown event', async () => {
    const buyer = await Client.session(server.url);
    expectProblem(await buyer.extend(EVENT), 404, 'HOLD_NOT_FOUND');
    expectProblem(await new Client(server.url).extend(EVENT), 401, 'UNAUTHENTICATED');
    expectProblem(await buyer.extend('no-such-event'), 404, 'EVENT_NOT_FOUND');
  });
});
