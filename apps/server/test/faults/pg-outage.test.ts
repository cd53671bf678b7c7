// PostgreSQL connections are killed (pg_terminate_backend) in the middle of order writes: an order
// statement is stopped on a lock with its rows written, uncommitted, and its backend terminated
// there, several times a round. Every order ends whole or absent, a retry with its key settles
// it (201 once bought after all, 200 when it had committed), and no seat is sold twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client.js';
import { OrderBlocker } from '../support/pg-faults.js';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';

const EVENT = 'arena-demo';
const ROUNDS = 3;
/** Half a round's orders meet the terminations; the other half is let through the lock. */
const HALF = 10;
const ORDERS_PER_ROUND = 2 * HALF;
/** Each round terminates this many order statements, one after another, while they wait. */
const KILLS_PER_ROUND = 2;

type OrderReply = Awaited<ReturnType<Client['order']>>;

describe('PostgreSQL connections die mid-checkout (services)', () => {
  const backends = new SharedBackends();
  let replica: Replica;
  beforeAll(async () => {
    await backends.create();
    // Only the test's terminations may end a waiting statement, not the statement timeout.
    replica = await startReplica(backends.env({ PG_STATEMENT_TIMEOUT_MS: '120000' }));
  }, 60_000);
  afterAll(async () => {
    if (replica.process.exitCode !== null || replica.process.signalCode !== null) {
      console.error(replica.output());
    }
    await replica.stop();
    await backends.drop();
  });

  it('leaves every order whole or absent, and a retry with the same key settles it', async () => {
    const seats = (
      await new Client(replica.url).request<{ seats: { id: string }[] }>(
        'GET',
        `/api/events/${EVENT}`,
      )
    ).body.seats.map((s) => s.id);
    const count = ROUNDS * ORDERS_PER_ROUND;
    const buyers = await Promise.all(
      Array.from({ length: count }, () => Client.session(replica.url)),
    );
    const wanted = buyers.map((_, i) => [seats[2 * i]!, seats[2 * i + 1]!]);
    for (const [i, buyer] of buyers.entries()) {
      expect((await buyer.hold(EVENT, wanted[i]!)).status).toBe(201);
    }

    const first: OrderReply[] = [];
    let terminated = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const from = round * ORDERS_PER_ROUND;
      const send = (j: number) =>
        buyers[from + j]!.order(EVENT, wanted[from + j]!, `k-${from + j}`);
      const blocker = await OrderBlocker.start(backends.schema, EVENT, backends.schema);
      const replies: Promise<OrderReply>[] = [];
      try {
        replies.push(...Array.from({ length: HALF }, (_, j) => send(j)));
        // No order can commit while the lock is held: each kill finds a statement waiting.
        for (let kill = 0; kill < KILLS_PER_ROUND; kill++) await blocker.terminateNextWaiting();
        // The second half is let through: stopped mid-write like the others, then released.
        replies.push(...Array.from({ length: HALF }, (_, j) => send(HALF + j)));
        await blocker.nextWaiting();
      } finally {
        await blocker.release();
      }
      terminated += blocker.terminated;
      first.push(...(await Promise.all(replies)));
    }
    const failed = first.flatMap((r, i) => (r.status === 201 ? [] : [i]));
    console.info(
      `pg outage: ${terminated} of ${ROUNDS * KILLS_PER_ROUND} planned backends terminated ` +
        `while their order statement waited on the lock; ` +
        `${failed.length} of ${count} orders met a termination (503), ` +
        `${count - failed.length} committed at once (201)`,
    );
    expect(terminated).toBe(ROUNDS * KILLS_PER_ROUND);
    // A terminated statement fails every order of its batch, at least one per termination.
    expect(failed.length).toBeGreaterThanOrEqual(terminated);
    expect(count - failed.length).toBeGreaterThanOrEqual(ROUNDS * HALF);
    expect(first.filter((r) => r.status !== 201 && r.status !== 503)).toEqual([]);

    for (const i of failed) {
      expect(first[i]!.body).toMatchObject({ code: 'UNAVAILABLE' });
      // Killed before its commit: nothing of the order is in the ledger, the holds are back.
      const committed = await backends.sql('SELECT 1 FROM orders WHERE idempotency_key = $1', [
        `k-${i}`,
      ]);
      expect(committed).toEqual([]);
      const mine = (await buyers[i]!.seats(EVENT)).body.mine.map((m) => m.seatId).sort();
      expect(mine).toEqual([...wanted[i]!].sort());
    }
    // The retry with the same key: bought now if it was absent, the same order if it committed.
    const retries = await Promise.all(buyers.map((b, i) => b.order(EVENT, wanted[i]!, `k-${i}`)));
    for (const [i, retry] of retries.entries()) {
      expect(retry.status).toBe(failed.includes(i) ? 201 : 200);
      if (!failed.includes(i)) expect(retry.body.orderId).toBe(first[i]!.body.orderId);
    }

    // Whole: every order holds exactly its buyer's two seats; nothing else was sold.
    const orders = await backends.sql<{ key: string; seats: string[] }>(
      `SELECT o.idempotency_key AS key, array_agg(t.seat_id ORDER BY t.seat_id) AS seats
         FROM orders o LEFT JOIN tickets t ON t.order_id = o.id GROUP BY o.id`,
    );
    expect(orders.length).toBe(count);
    for (const order of orders) {
      const i = Number(order.key.slice('k-'.length));
      expect(order.seats).toEqual([...wanted[i]!].sort());
    }
    const tickets = await backends.sql<{ n: number }>('SELECT count(*)::int AS n FROM tickets');
    expect(tickets[0]!.n).toBe(2 * count);
    const truth = (await buyers[0]!.seats(EVENT)).body;
    expect([...truth.sold].sort()).toEqual(wanted.flat().sort());
  }, 120_000);
});
