// A replica is SIGKILLed between the PostgreSQL commit and the Redis SOLD mark (a test-only fault
// hook, so the crash lands there on every order): the sale is in the ledger while Redis still has
// the seats in checkout; a replica started afterwards marks them SOLD by its reconciler, and
// nobody can hold them again.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keys } from '../../src/holds/keys.js';
import { Client } from '../support/client.js';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';
import { TEST_REDIS_URL } from '../support/server.js';
import { until } from '../support/wait.js';

const EVENT = 'arena-demo';
const SEATS = ['N1', 'N2'];

describe('replica killed after commit (services)', () => {
  const backends = new SharedBackends();
  const keys = new Keys(backends.prefix).event(EVENT);
  let redis: Redis;
  let doomed: Replica;
  let survivor: Replica | undefined;
  beforeAll(async () => {
    await backends.create();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    doomed = await startReplica(backends.env({ FAULT_INJECTION: 'crash-after-commit' }));
  }, 60_000);
  afterAll(async () => {
    await Promise.all([doomed.stop('SIGKILL'), survivor?.stop()]);
    redis.disconnect();
    await backends.drop();
  });

  it('the sale survives: the seats end SOLD and cannot be held', async () => {
    const buyer = await Client.session(doomed.url);
    expect((await buyer.hold(EVENT, SEATS)).status).toBe(201);
    await expect(buyer.order(EVENT, SEATS, 'doomed')).rejects.toThrow();
    expect(await doomed.stop()).toBeNull(); // it was killed, not exited
    expect(doomed.process.signalCode).toBe('SIGKILL');

    // The crash came between the two steps: committed, but neither marked SOLD nor given back.
    const tickets = await backends.sql<{ seat_id: string }>(
      'SELECT seat_id FROM tickets WHERE event_id = $1 ORDER BY seat_id',
      [EVENT],
    );
    expect(tickets.map((t) => t.seat_id)).toEqual(SEATS);
    expect(await redis.smismember(keys.sold, ...SEATS)).toEqual([0, 0]);
    const pinned = await redis.hmget(keys.checkout, ...SEATS);
    expect(pinned.every((entry) => entry?.endsWith(' doomed'))).toBe(true);
    console.info(
      `replica crash: 1 of 1 planned crash after commit (SIGKILL); ${tickets.length} tickets ` +
        `committed, ${pinned.length} seats left in checkout, not SOLD`,
    );

    survivor = await startReplica(backends.env({ RECONCILE_INTERVAL_SECONDS: '1' }));
    const other = await Client.session(survivor.url);
    await until(
      'the reconciler marking the seats SOLD',
      async () => (await other.seats(EVENT)).body.sold.length === SEATS.length,
    );
    expect((await other.seats(EVENT)).body.sold.sort()).toEqual(SEATS);
    const hold = await other.hold(EVENT, ['N1']);
    expect(hold.status).toBe(409);
    expect(hold.body.detail).toBe('Seat already sold');
    // The buyer's retry on the other replica finds the committed order.
    const retry = await new Client(survivor.url, buyer.token).order(EVENT, SEATS, 'doomed');
    expect(retry.status).toBe(200);
  }, 60_000);
});
