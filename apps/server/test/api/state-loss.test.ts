// Redis loses everything after sales: the very next call rebuilds the SOLD seats from PostgreSQL
// before answering, so a sold seat can be neither held nor bought again.
import { describe, expect, it } from 'vitest';
import { Keys } from '../../src/holds/keys.js';
import { Client } from '../support/client.js';
import { serverOnPrivateRedis } from '../support/server.js';

const EVENT = 'arena-demo';

describe('hold store state loss (services)', () => {
  const suite = serverOnPrivateRedis();

  it('after FLUSHALL a sold seat answers 409 on the next hold, and cannot be ordered', async () => {
    const { server, redis: admin } = suite;
    const a = await Client.session(server.url);
    const b = await Client.session(server.url);
    expect((await a.hold(EVENT, ['H1', 'H2'])).status).toBe(201);
    expect((await a.order(EVENT, ['H1', 'H2'], 'before-flush')).status).toBe(201);
    expect((await a.hold(EVENT, ['H3'])).status).toBe(201);

    const keysBefore = await admin.dbsize();
    await admin.flushall();
    // The loss really happened: nothing left, the event's state not ready until rebuilt.
    expect(keysBefore).toBeGreaterThan(0);
    expect(await admin.dbsize()).toBe(0);
    const ready = new Keys(server.config.redisKeyPrefix).event(EVENT).ready;

    const hold = await b.hold(EVENT, ['H1', 'H4']);
    expect(await admin.exists(ready)).toBe(1);
    console.info(`state loss: 1 of 1 planned FLUSHALL, ${keysBefore} keys lost, state rebuilt`);
    expect(hold.status).toBe(409);
    expect(hold.body.code).toBe('SEAT_UNAVAILABLE');
    expect(hold.body.detail).toBe('Seat already sold');
    expect(hold.body.seats).toEqual(['H1']);
    const order = await b.order(EVENT, ['H2'], 'after-flush');
    expect(order.status).toBe(409);
    const view = await b.seats(EVENT);
    expect(view.body.sold.sort()).toEqual(['H1', 'H2']);
    // The lost hold on H3 is gone with Redis (holds are ephemeral); the seat is free again.
    expect((await b.hold(EVENT, ['H3'])).status).toBe(201);
    const tickets = await server.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM tickets WHERE event_id = $1',
      [EVENT],
    );
    expect(tickets[0]!.n).toBe(2);
  });
});
