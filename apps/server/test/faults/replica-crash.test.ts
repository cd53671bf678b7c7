// A replica is SIGKILLed between the PostgreSQL commit and the Redis SOLD mark (a test-only fault
// hook): the other replica's reconciler marks the seat SOLD, and nobody can hold it again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client.js';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';

const EVENT = 'arena-demo';

describe('replica killed after commit (services)', () => {
  const backends = new SharedBackends();
  let doomed: Replica;
  let survivor: Replica;
  beforeAll(async () => {
    await backends.create();
    survivor = await startReplica(backends.env({ RECONCILE_INTERVAL_SECONDS: '1' }));
    doomed = await startReplica(backends.env({ FAULT_INJECTION: 'crash-after-commit' }));
  }, 60_000);
  afterAll(async () => {
    await Promise.all([doomed.stop('SIGKILL'), survivor.stop()]);
    await backends.drop();
  });

  it('the sale survives: the seat ends SOLD and cannot be held', async () => {
    const buyer = await Client.session(doomed.url);
    expect((await buyer.hold(EVENT, ['N1', 'N2'])).status).toBe(201);
    await expect(buyer.order(EVENT, ['N1', 'N2'], 'doomed')).rejects.toThrow();
    expect(await doomed.stop()).toBeNull(); // it was killed, not exited
    expect(doomed.process.signalCode).toBe('SIGKILL');

    const tickets = await backends.sql<{ seat_id: string }>(
      'SELECT seat_id FROM tickets WHERE event_id = $1 ORDER BY seat_id',
      [EVENT],
    );
    expect(tickets.map((t) => t.seat_id)).toEqual(['N1', 'N2']);

    const other = await Client.session(survivor.url);
    const deadline = Date.now() + 5_000;
    while ((await other.seats(EVENT)).body.sold.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await other.seats(EVENT)).body.sold.sort()).toEqual(['N1', 'N2']);
    const hold = await other.hold(EVENT, ['N1']);
    expect(hold.status).toBe(409);
    expect(hold.body.detail).toBe('Seat already sold');
    // The buyer's retry on the surviving replica finds the committed order.
    const retry = await new Client(survivor.url, buyer.token).order(EVENT, ['N1', 'N2'], 'doomed');
    expect(retry.status).toBe(200);
  }, 30_000);
});
