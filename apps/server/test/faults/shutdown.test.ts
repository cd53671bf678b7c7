// SIGTERM with orders in flight (stopped mid-write on a PostgreSQL lock, their seats pinned in
// Redis): the replica closes WebSockets with 1012 (service restart) so clients reconnect
// elsewhere, stops accepting, finishes the orders it had taken (one of them fails meanwhile, its
// backend terminated: it must fail cleanly) and exits 0, within its 10 s deadline.
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keys } from '../../src/holds/keys.js';
import { Client } from '../support/client.js';
import { OrderBlocker } from '../support/pg-faults.js';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';
import { TEST_REDIS_URL } from '../support/server.js';
import { until } from '../support/wait.js';
import { Watcher } from '../support/watcher.js';

const EVENT = 'arena-demo';
const ORDERS = 10;

describe('graceful shutdown (services)', () => {
  const backends = new SharedBackends();
  const keys = new Keys(backends.prefix).event(EVENT);
  let redis: Redis;
  let replica: Replica;
  beforeAll(async () => {
    await backends.create();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    // Only the test may end a waiting order statement, not the statement timeout.
    replica = await startReplica(backends.env({ PG_STATEMENT_TIMEOUT_MS: '120000' }));
  }, 60_000);
  afterAll(async () => {
    await replica.stop('SIGKILL');
    redis.disconnect();
    await backends.drop();
  });

  it('finishes or cleanly fails in-flight orders, closes sockets with 1012 and exits 0', async () => {
    const watcher = await Watcher.subscribe(replica.url, EVENT);
    const closed = new Promise<number>((resolve) => watcher.socket.once('close', resolve));
    const buyers = await Promise.all(
      Array.from({ length: ORDERS }, () => Client.session(replica.url)),
    );
    const seatOf = (i: number) => `P${i + 1}`;
    for (const [i, buyer] of buyers.entries()) {
      expect((await buyer.hold(EVENT, [seatOf(i)])).status).toBe(201);
    }

    const blocker = await OrderBlocker.start(backends.schema, EVENT, backends.schema);
    const orders = buyers.map((b, i) => b.order(EVENT, [seatOf(i)], `bye-${i}`));
    let exit: Promise<number | null>;
    try {
      // In flight for certain: every seat pinned by its order, and an order statement mid-write.
      await until('every order past its checkout step', async () => {
        const pinned = await redis.hmget(keys.checkout, ...buyers.map((_, i) => seatOf(i)));
        return pinned.every((entry) => entry !== null);
      });
      await blocker.nextWaiting();

      exit = replica.stop('SIGTERM');
      expect(await closed).toBe(1012);
      await until('the replica refusing new connections', () => refuses(replica.port));
      // One order in flight fails while the replica shuts down; the others are let through.
      await blocker.terminateNextWaiting();
    } finally {
      await blocker.release();
    }
    const replies = await Promise.allSettled(orders);
    expect(await exit).toBe(0); // the 10 s deadline would have exited 1

    // Every order the server had taken is answered in full; none is cut off half-way.
    const statuses = replies.map((r) => (r.status === 'fulfilled' ? r.value.status : r.reason));
    const failed = statuses.flatMap((s, i) => (s === 503 ? [i] : []));
    const done = statuses.flatMap((s, i) => (s === 201 ? [i] : []));
    console.info(
      `shutdown: SIGTERM with ${ORDERS} orders in flight, ${blocker.terminated} of 1 planned ` +
        `backend terminated meanwhile; ${done.length} completed (201), ${failed.length} failed (503)`,
    );
    expect(blocker.terminated).toBe(1);
    expect(failed.length + done.length).toBe(ORDERS);
    expect(failed.length).toBeGreaterThan(0);
    expect(done.length).toBeGreaterThan(0);

    // Completed: in the ledger whole and SOLD in Redis. Failed: absent, the hold given back.
    const bought = await backends.sql<{ key: string; seats: string[] }>(
      `SELECT o.idempotency_key AS key, array_agg(t.seat_id ORDER BY t.seat_id) AS seats
         FROM orders o JOIN tickets t ON t.order_id = o.id GROUP BY o.id ORDER BY o.idempotency_key`,
    );
    expect(bought).toEqual(
      done
        .map((i) => ({ key: `bye-${i}`, seats: [seatOf(i)] }))
        .sort((a, b) => (a.key < b.key ? -1 : 1)),
    );
    const sold = await redis.smismember(keys.sold, ...done.map(seatOf));
    expect(sold.every((member) => member === 1)).toBe(true);
    for (const i of failed) {
      const sessionId = buyers[i]!.token!.split('.')[0];
      expect(await redis.hget(keys.holder, seatOf(i))).toBe(sessionId);
      expect(await redis.hexists(keys.checkout, seatOf(i))).toBe(0);
      expect(await redis.sismember(keys.sold, seatOf(i))).toBe(0);
    }
  }, 60_000);
});

/** True once a new TCP connection to the port is refused: the listener is closed. */
function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}
