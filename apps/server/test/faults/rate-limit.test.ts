// Rate limits: per IP on session creation, per session on holds and orders, 429 problem+json
// with Retry-After; counted in Redis so replicas share them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client.js';
import { startServer, type TestServer } from '../support/server.js';

const EVENT = 'arena-demo';

describe('rate limits (services)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer('services', {
      env: {
        RATE_LIMITS: 'on',
        RATE_LIMIT_SESSIONS_PER_MINUTE: '25',
        RATE_LIMIT_HOLDS_PER_MINUTE: '10',
        RATE_LIMIT_ORDERS_PER_MINUTE: '3',
      },
    });
  });
  afterAll(() => server.close());

  it('throttles one bot minting 1,000 sessions from one address', async () => {
    const replies = await Promise.all(
      Array.from({ length: 1_000 }, () => new Client(server.url).request('POST', '/api/sessions')),
    );
    const created = replies.filter((r) => r.status === 201);
    const refused = replies.filter((r) => r.status === 429);
    expect(created).toHaveLength(25);
    expect(refused).toHaveLength(975);
    const sample = refused[0]!;
    expect(sample.contentType).toContain('application/problem+json');
    expect((sample.body as { code: string }).code).toBe('RATE_LIMITED');
    expect(Number(sample.headers.get('retry-after'))).toBeGreaterThan(0);
    // The counter lives in Redis, under this deployment's prefix.
    const keys = await server.redis!.keys(`${server.config.redisKeyPrefix}rate:*`);
    expect(keys.length).toBeGreaterThan(0);
  });

  it('limits holds and orders per session, not per address', async () => {
    const bot = await tokenFrom(server);
    const other = await tokenFrom(server);
    const seats = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R10', 'R11', 'R12'];
    const statuses: number[] = [];
    for (const seat of seats) {
      statuses.push((await bot.hold(EVENT, [seat])).status);
      if (statuses.at(-1) === 201) await bot.release(EVENT, seat);
    }
    // Hold and release share one budget of 10 a minute.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect((await other.hold(EVENT, ['S1'])).status).toBe(201);
    const orders = [];
    for (let i = 0; i < 5; i++) orders.push((await other.order(EVENT, ['S1'], 'same-key')).status);
    expect(orders.slice(0, 3)).toEqual([201, 200, 200]);
    expect(orders.slice(3)).toEqual([429, 429]);
  });
});

/** A session minted around the per-address limit (the bot above used it up). */
async function tokenFrom(server: TestServer): Promise<Client> {
  return new Client(server.url, server.app.signer.issue().token);
}
