// Several server processes on one Redis and one PostgreSQL: a change made through one replica
// reaches the subscribers of every replica, in order, and their views end equal to the truth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client.js';
import { storm } from '../support/storm.js';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';
import { Watcher } from '../support/watcher.js';

const EVENT = 'arena-demo';

describe('real time across replicas (services)', () => {
  const backends = new SharedBackends();
  let replicas: Replica[] = [];
  beforeAll(async () => {
    await backends.create();
    const env = backends.env({ RATE_LIMITS: 'off', WS_FLUSH_INTERVAL_MS: '20' });
    replicas = await Promise.all([startReplica(env), startReplica(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await backends.drop();
  });

  it('a hold on replica B reaches a subscriber of replica A within 500 ms, with the next seq', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const watcher = await Watcher.subscribe(a.url, EVENT);
    const buyer = await Client.session(b.url);
    const before = watcher.seq;
    const sent = Date.now();
    expect((await buyer.hold(EVENT, ['M1'])).status).toBe(201);
    await watcher.until(() => watcher.seats.get('M1') === 'HELD', 500);
    expect(Date.now() - sent).toBeLessThan(500);
    expect(watcher.seq).toBe(before + 1);
    watcher.close();
  });

  it('storm: 20 subscribers on 2 replicas see exactly the truth after 2,000 random operations', async () => {
    const seats = (
      await new Client(replicas[0]!.url).request<{ seats: { id: string }[] }>(
        'GET',
        `/api/events/${EVENT}`,
      )
    ).body.seats
      .map((s) => s.id)
      .slice(300, 400);
    const watchers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => Watcher.subscribe(replicas[i % 2]!.url, EVENT)),
    );
    const buyers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => Client.session(replicas[i % 2]!.url)),
    );
    const statuses = await storm(buyers, [EVENT], seats);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    expect(statuses.get(201)).toBeGreaterThan(50);

    const truth = (await new Client(replicas[0]!.url).seats(EVENT)).body;
    await Promise.all(watchers.map((w) => w.until(() => w.seq === truth.seq, 5_000)));
    const lags = watchers.flatMap((w) => w.lags).sort((a, b) => a - b);
    const at = (q: number) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))];
    console.info(
      `storm fan-out lag over ${lags.length} frames: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`,
    );
    for (const watcher of watchers) {
      expect(watcher.untoldGaps).toEqual([]);
      expect(watcher.view()).toEqual({
        held: [...truth.held].sort(),
        sold: [...truth.sold].sort(),
      });
      watcher.close();
    }
    const sold = await backends.sql<{ seat_id: string }>(
      'SELECT seat_id FROM tickets WHERE event_id = $1',
      [EVENT],
    );
    expect(sold.map((r) => r.seat_id).sort()).toEqual([...truth.sold].sort());
  }, 60_000);
});
