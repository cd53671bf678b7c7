// Redis fails twice at known points while orders are in flight (their seats pinned in Redis, their
// statements stopped on a PostgreSQL lock): first it freezes (SIGSTOP: connections open, nothing
// answered), then it dies (SIGKILL). Every call made meanwhile answers 503 without hanging, /ready
// says so; the orders in flight commit and answer 201 although their SOLD mark cannot be written.
// Redis comes back empty: the replica recovers by itself, rebuilds the SOLD seats (those orders'
// too) from PostgreSQL before serving holds, and its WebSocket clients are told to resync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keys } from '../../src/holds/keys.js';
import { Client } from '../support/client.js';
import { OrderBlocker } from '../support/pg-faults.js';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';
import { PrivateRedis } from '../support/redis-server.js';
import { until } from '../support/wait.js';
import { Watcher } from '../support/watcher.js';

const EVENT = 'arena-demo';
/** Orders bought before the outage, orders in flight across it, and calls made per fault. */
const SOLD_BEFORE = 10;
const IN_FLIGHT = 10;
const CALLS_PER_FAULT = 20;
/** Far above the replica's Redis command timeout (1.5 s): a call that waits this long hangs. */
const HANG_MS = 10_000;

interface Outcome {
  status: number;
  code: string | undefined;
  ms: number;
}

describe('Redis outage (services)', () => {
  let redis: PrivateRedis;
  let backends: SharedBackends;
  let replica: Replica;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
    backends = new SharedBackends(redis.url);
    await backends.create();
    // Only the test may end the in-flight orders' wait on the lock, not the statement timeout.
    const env = { RECONCILE_INTERVAL_SECONDS: '1', PG_STATEMENT_TIMEOUT_MS: '120000' };
    replica = await startReplica(backends.env(env));
  }, 60_000);
  afterAll(async () => {
    await replica.stop('SIGKILL');
    await backends.drop().catch(() => {});
    await redis.stop();
  });

  it('answers 503 while Redis is frozen or dead, and recovers without a restart', async () => {
    const seats = (
      await new Client(replica.url).request<{ seats: { id: string }[] }>(
        'GET',
        `/api/events/${EVENT}`,
      )
    ).body.seats.map((s) => s.id);
    const watcher = await Watcher.subscribe(replica.url, EVENT);
    const sessions = (n: number) =>
      Promise.all(Array.from({ length: n }, () => Client.session(replica.url)));
    const [early, late, callers] = await Promise.all([
      sessions(SOLD_BEFORE),
      sessions(IN_FLIGHT),
      sessions(CALLS_PER_FAULT),
    ]);
    const earlySeats = seats.slice(0, SOLD_BEFORE);
    const lateSeats = seats.slice(SOLD_BEFORE, SOLD_BEFORE + IN_FLIGHT);
    const freeSeats = seats.slice(SOLD_BEFORE + IN_FLIGHT);
    for (const [i, buyer] of early.entries()) {
      expect((await buyer.hold(EVENT, [earlySeats[i]!])).status).toBe(201);
      expect((await buyer.order(EVENT, [earlySeats[i]!], `early-${i}`)).status).toBe(201);
    }
    for (const [i, buyer] of late.entries()) {
      expect((await buyer.hold(EVENT, [lateSeats[i]!])).status).toBe(201);
    }

    // The late orders in flight: pinned in Redis (step 1 done), stopped on the lock (step 2).
    const blocker = await OrderBlocker.start(backends.schema, EVENT, backends.schema);
    const inFlight = late.map((buyer, i) => buyer.order(EVENT, [lateSeats[i]!], `late-${i}`));
    let frozen: Outcome[];
    let dead: Outcome[];
    const faults: string[] = [];
    try {
      const admin = redis.client();
      const checkout = new Keys(backends.prefix).event(EVENT).checkout;
      await until('every in-flight order past its checkout step', async () => {
        const pinned = await admin.hmget(checkout, ...lateSeats);
        return pinned.every((entry) => entry !== null);
      });
      admin.disconnect();
      await blocker.nextWaiting();

      await redis.freeze();
      faults.push('freeze');
      frozen = await callsDuring(callers, freeSeats);
      expect((await fetch(`${replica.url}/ready`)).status).toBe(503);

      await redis.stop();
      faults.push('kill');
      dead = await callsDuring(callers, freeSeats);
      expect((await fetch(`${replica.url}/ready`)).status).toBe(503);
    } finally {
      await blocker.release();
    }
    const ordered = await Promise.all(inFlight);

    const slowest = (list: Outcome[]) => Math.max(...list.map((o) => o.ms));
    console.info(
      `redis outage: ${faults.length} of 2 planned faults (${faults.join(', ')}); ` +
        `${frozen.length} calls met the freeze (slowest ${slowest(frozen)} ms), ` +
        `${dead.length} met the kill (slowest ${slowest(dead)} ms), all 503; ` +
        `${ordered.filter((r) => r.status === 201).length} of ${IN_FLIGHT} orders in flight ` +
        `across both committed (201)`,
    );
    expect(faults).toEqual(['freeze', 'kill']);
    for (const outcome of [...frozen, ...dead]) {
      expect(outcome).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
      expect(outcome.ms).toBeLessThan(HANG_MS);
    }
    expect(frozen.length + dead.length).toBe(2 * 2 * CALLS_PER_FAULT);
    // Committed in PostgreSQL: sold, whatever became of the SOLD mark in Redis.
    expect(ordered.map((r) => r.status)).toEqual(late.map(() => 201));

    // Redis returns, empty.
    await redis.start();
    await until('the replica ready again', async () => (await fetch(`${replica.url}/ready`)).ok);
    const sold = (
      await backends.sql<{ seat_id: string }>('SELECT seat_id FROM tickets WHERE event_id = $1', [
        EVENT,
      ])
    ).map((r) => r.seat_id);
    expect([...sold].sort()).toEqual([...earlySeats, ...lateSeats].sort());
    const latecomer = await Client.session(replica.url);
    for (const seatId of [earlySeats[0]!, lateSeats[0]!]) {
      const retry = await latecomer.hold(EVENT, [seatId]);
      expect(retry.status).toBe(409);
      expect(retry.body.detail).toBe('Seat already sold');
    }
    const truth = (await latecomer.seats(EVENT)).body;
    expect([...truth.sold].sort()).toEqual([...sold].sort());
    // The in-flight buyer's retry finds the order that committed during the outage.
    expect((await late[0]!.order(EVENT, [lateSeats[0]!], 'late-0')).status).toBe(200);

    // The subscriber was told to start again and now sees the truth.
    await watcher.until(() => watcher.resyncs > 0 && watcher.seq === truth.seq, 10_000);
    expect(watcher.view().sold).toEqual([...sold].sort());
    watcher.close();
  }, 120_000);
});

/** Each caller holds a free seat, then orders it: calls made while Redis is failing. */
async function callsDuring(callers: Client[], freeSeats: string[]): Promise<Outcome[]> {
  const timed = async (
    call: () => Promise<{ status: number; body: { code?: string } }>,
  ): Promise<Outcome> => {
    const started = Date.now();
    const reply = await call();
    return { status: reply.status, code: reply.body.code, ms: Date.now() - started };
  };
  const outcomes = await Promise.all(
    callers.map((caller, i) =>
      Promise.all([
        timed(() => caller.hold(EVENT, [freeSeats[i]!])),
        timed(() => caller.order(EVENT, [freeSeats[i]!], `during-${i}`)),
      ]),
    ),
  );
  return outcomes.flat();
}
