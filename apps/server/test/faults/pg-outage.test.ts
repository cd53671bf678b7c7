// PostgreSQL connections are killed (pg_terminate_backend) while orders are in flight: every order
// either committed whole (a retry with its key returns it) or not at all (its seats are still held
// by the buyer, and the retry buys them); nothing half-written, nothing sold twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client.js';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';
import { TEST_DATABASE_URL } from '../support/server.js';

const EVENT = 'arena-demo';

describe('PostgreSQL connections die mid-checkout (services)', () => {
  const backends = new SharedBackends();
  let replica: Replica;
  beforeAll(async () => {
    await backends.create();
    const url = `${TEST_DATABASE_URL}?application_name=${backends.schema}`;
    replica = await startReplica({ ...backends.env(), DATABASE_URL: url });
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
    const buyers = await Promise.all(Array.from({ length: 60 }, () => Client.session(replica.url)));
    const wanted = buyers.map((_, i) => [seats[2 * i]!, seats[2 * i + 1]!]);
    for (const [i, buyer] of buyers.entries()) {
      expect((await buyer.hold(EVENT, wanted[i]!)).status).toBe(201);
    }

    let killing = true;
    let killed = 0;
    const killer = (async () => {
      while (killing) {
        const rows = await backends.sql<{ n: number }>(
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
           WHERE application_name = $1 AND pid <> pg_backend_pid()`,
          [backends.schema],
        );
        killed += rows[0]!.n;
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    })();
    const first = await Promise.all(buyers.map((b, i) => b.order(EVENT, wanted[i]!, `k-${i}`)));
    killing = false;
    await killer;
    expect(killed).toBeGreaterThan(0);
    expect(first.filter((r) => r.status >= 500 && r.status !== 503)).toEqual([]);
    const failed = first.flatMap((r, i) => (r.status === 201 ? [] : [i]));
    expect(failed.length).toBeGreaterThan(0);

    let committedBeforeRetry = 0;
    console.info(
      `pg outage: ${buyers.length} orders, ${killed} backends terminated, ${failed.length} answered 503`,
    );
    for (const i of failed) {
      expect(first[i]!.status).toBe(503);
      const committed = await backends.sql('SELECT 1 FROM orders WHERE idempotency_key = $1', [
        `k-${i}`,
      ]);
      const mine = (await buyers[i]!.seats(EVENT)).body.mine.map((m) => m.seatId).sort();
      // Not committed: the holds are back with the buyer. Committed: the retry returns the order.
      if (committed.length === 0) expect(mine).toEqual([...wanted[i]!].sort());
      else committedBeforeRetry++;
      const retry = await buyers[i]!.order(EVENT, wanted[i]!, `k-${i}`);
      expect(retry.status).toBe(committed.length === 0 ? 201 : 200);
    }

    console.info(`pg outage: of the 503s, ${committedBeforeRetry} had committed (retry: 200)`);
    const orders = await backends.sql<{ n: number }>('SELECT count(*)::int AS n FROM orders');
    expect(orders[0]!.n).toBe(buyers.length);
    const halfWritten = await backends.sql(
      `SELECT o.id FROM orders o LEFT JOIN tickets t ON t.order_id = o.id
       GROUP BY o.id HAVING count(t.seat_id) <> 2`,
    );
    expect(halfWritten).toEqual([]);
    const tickets = await backends.sql<{ n: number }>('SELECT count(*)::int AS n FROM tickets');
    expect(tickets[0]!.n).toBe(2 * buyers.length);
    const truth = (await buyers[0]!.seats(EVENT)).body;
    expect(truth.sold.length).toBe(2 * buyers.length);
  }, 60_000);
});
