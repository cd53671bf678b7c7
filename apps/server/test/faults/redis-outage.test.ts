// Redis dies in the middle of a storm of holds and orders: calls fail fast with 503, /ready says
// so; Redis comes back empty: the replica recovers by itself, rebuilds the SOLD seats from
// PostgreSQL before serving holds, and its WebSocket clients are told to resync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client.js';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';
import { PrivateRedis } from '../support/redis-server.js';
import { Watcher } from '../support/watcher.js';

const EVENT = 'arena-demo';
const ALLOWED = new Set([200, 201, 204, 404, 409, 422, 503]);

interface Outcome {
  status: number;
  code: string | undefined;
  ms: number;
  during: boolean;
}

describe('Redis outage (services)', () => {
  let redis: PrivateRedis;
  let backends: SharedBackends;
  let replica: Replica;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
    backends = new SharedBackends(redis.url);
    await backends.create();
    replica = await startReplica(backends.env({ RECONCILE_INTERVAL_SECONDS: '1' }));
  }, 60_000);
  afterAll(async () => {
    await replica.stop('SIGKILL');
    await backends.drop().catch(() => {});
    await redis.stop();
  });

  it('answers 503 fast while Redis is down and recovers without a restart', async () => {
    const seats = (
      await new Client(replica.url).request<{ seats: { id: string }[] }>(
        'GET',
        `/api/events/${EVENT}`,
      )
    ).body.seats.map((s) => s.id);
    const watcher = await Watcher.subscribe(replica.url, EVENT);
    const buyers = await Promise.all(
      Array.from({ length: 100 }, () => Client.session(replica.url)),
    );

    let down = false;
    let stop = false;
    const outcomes: Outcome[] = [];
    const timed = async (call: () => Promise<{ status: number; body: { code?: string } }>) => {
      const during = down;
      const started = Date.now();
      const reply = await call();
      outcomes.push({
        status: reply.status,
        code: reply.body.code,
        ms: Date.now() - started,
        during,
      });
      return reply;
    };
    const storm = buyers.map(async (buyer, b) => {
      for (let i = 0; !stop && i < 200; i++) {
        const seat = seats[(b * 7 + i * 13) % seats.length]!;
        const hold = await timed(() => buyer.hold(EVENT, [seat]));
        if (hold.status === 201) await timed(() => buyer.order(EVENT, [seat], `o-${b}-${i}`));
      }
    });
    await sleep(1_000);
    await redis.stop();
    down = true;
    await sleep(2_500);
    const ready = await fetch(`${replica.url}/ready`);
    expect(ready.status).toBe(503);
    stop = true;
    await Promise.all(storm);

    const during = outcomes.filter((o) => o.during);
    const tally = (list: Outcome[]) =>
      JSON.stringify(
        list.reduce<Record<number, number>>(
          (t, o) => ({ ...t, [o.status]: (t[o.status] ?? 0) + 1 }),
          {},
        ),
      );
    console.info(
      `redis outage: ${outcomes.length} calls, ${during.length} while down ${tally(during)}, ` +
        `slowest while down ${Math.max(...during.map((o) => o.ms))} ms`,
    );
    expect(during.length).toBeGreaterThan(50);
    expect(outcomes.filter((o) => !ALLOWED.has(o.status))).toEqual([]);
    expect(during.filter((o) => o.status === 503).length).toBeGreaterThan(0);
    for (const o of outcomes.filter((o) => o.status === 503)) expect(o.code).toBe('UNAVAILABLE');
    expect(Math.max(...during.map((o) => o.ms))).toBeLessThan(2_000);

    // Redis returns, empty.
    await redis.start();
    await waitFor(async () => (await fetch(`${replica.url}/ready`)).status === 200, 10_000);
    const sold = (
      await backends.sql<{ seat_id: string }>('SELECT seat_id FROM tickets WHERE event_id = $1', [
        EVENT,
      ])
    ).map((r) => r.seat_id);
    expect(sold.length).toBeGreaterThan(0);
    const latecomer = await Client.session(replica.url);
    const retry = await latecomer.hold(EVENT, [sold[0]!]);
    expect(retry.status).toBe(409);
    expect(retry.body.detail).toBe('Seat already sold');
    const truth = (await latecomer.seats(EVENT)).body;
    expect([...truth.sold].sort()).toEqual([...sold].sort());

    // The subscriber was told to start again and now sees the truth.
    await watcher.until(() => watcher.resyncs > 0 && watcher.seq === truth.seq, 10_000);
    expect(watcher.view().sold).toEqual([...sold].sort());
    watcher.close();
  }, 60_000);
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(test: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await test()) return;
    } catch {
      // not yet
    }
    await sleep(100);
  }
  throw new Error('condition not met in time');
}
