// The hold store on a real 3-master Redis Cluster, served by two replica processes: the core races
// and the real-time storm, on events whose slots live on different masters (sharded pub/sub).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { demoArena } from '../../src/domain/venue/arena.js';
import { Client } from '../support/client.js';
import { storm } from '../support/storm.js';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';
import { PrivateRedisCluster } from '../support/redis-cluster.js';
import { ADMIN_TOKEN, TEST_DATABASE_URL } from '../support/server.js';
import { Watcher } from '../support/watcher.js';

const DEMO = 'arena-demo';

describe('on a Redis Cluster (3 masters, 2 replicas)', () => {
  let redisCluster: PrivateRedisCluster;
  let backends: SharedBackends;
  let replicas: [Replica, Replica];
  /** One event per master: the demo event and two created to land on the other masters. */
  let events: string[];
  let seats: string[];

  beforeAll(async () => {
    redisCluster = await PrivateRedisCluster.start(3);
    backends = new SharedBackends(undefined, redisCluster.nodeList);
    await backends.create();
    // The read pool is read-only: a write routed to it by mistake would fail these tests.
    const env = backends.env({ WS_FLUSH_INTERVAL_MS: '20', DATABASE_READ_URL: TEST_DATABASE_URL });
    const [a, b] = await Promise.all([startReplica(env), startReplica(env)]);
    replicas = [a, b];
    events = await oneEventPerMaster(redisCluster, a.url);
    seats = (
      await new Client(a.url).request<{ seats: { id: string }[] }>('GET', `/api/events/${DEMO}`)
    ).body.seats.map((s) => s.id);
  }, 60_000);

  afterAll(async () => {
    await Promise.all((replicas ?? []).map((r) => r.stop()));
    await backends?.drop();
    await redisCluster?.stop();
  });

  it('spreads the events over the three masters', async () => {
    const owners = await Promise.all(events.map((id) => redisCluster.ownerOf(`{ev:${id}}`)));
    expect(new Set(owners).size).toBe(3);
  });

  it('200 sessions on both replicas hold the same seat at once: exactly one wins', async () => {
    const event = events[1]!;
    const buyers = await sessions(replicas, 200);
    const replies = await Promise.all(buyers.map((b) => b.hold(event, [seats[0]!])));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(199);
  });

  it('100 sessions each hold 4 of the same 12 seats, then buy: every seat sold once', async () => {
    const event = events[2]!;
    const pool = seats.slice(100, 112);
    const buyers = await sessions(replicas, 100);
    const wanted = buyers.map((_, i) => pickFour(pool, i));
    const replies = await Promise.all(buyers.map((b, i) => b.hold(event, wanted[i]!)));
    const owner = new Map<string, number>();
    replies.forEach((reply, i) => {
      expect([201, 409]).toContain(reply.status);
      if (reply.status !== 201) return;
      for (const seat of wanted[i]!) {
        expect(owner.has(seat), `seat ${seat} has two owners`).toBe(false);
        owner.set(seat, i);
      }
    });
    expect(owner.size).toBeGreaterThan(0);
    const winners = buyers.flatMap((b, i) => (replies[i]!.status === 201 ? [i] : []));
    const orders = await Promise.all(
      winners.map((i) => buyers[i]!.order(event, wanted[i]!, `race-${i}`)),
    );
    expect(orders.map((o) => o.status)).toEqual(winners.map(() => 201));
    const sold = await backends.sql<{ seat_id: string; n: string }>(
      'SELECT seat_id, count(*) AS n FROM tickets WHERE event_id = $1 GROUP BY seat_id',
      [event],
    );
    expect(sold.every((row) => row.n === '1')).toBe(true);
    expect(sold.map((row) => row.seat_id).sort()).toEqual([...owner.keys()].sort());
  });

  it('storm: subscribers on both replicas see exactly the truth of 3 events on 3 masters', async () => {
    const pool = seats.slice(300, 360);
    const watchers = await Promise.all(
      events.flatMap((event) =>
        [0, 1, 0, 1].map((r) => Watcher.subscribe(replicas[r]!.url, event)),
      ),
    );
    await expectShardSubscribers(events, 2);
    const buyers = await sessions(replicas, 48);
    const statuses = await storm(buyers, events, pool);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    expect(statuses.get(201)).toBeGreaterThan(50);

    for (const [e, event] of events.entries()) {
      const truth = (await new Client(replicas[0].url).seats(event)).body;
      const mine = watchers.slice(e * 4, e * 4 + 4);
      await Promise.all(mine.map((w) => w.until(() => w.seq === truth.seq, 5_000)));
      for (const watcher of mine) {
        expect(watcher.untoldGaps).toEqual([]);
        expect(watcher.view()).toEqual({
          held: [...truth.held].sort(),
          sold: [...truth.sold].sort(),
        });
      }
      const sold = await backends.sql<{ seat_id: string }>(
        'SELECT seat_id FROM tickets WHERE event_id = $1 AND seat_id = ANY($2)',
        [event, pool],
      );
      expect(sold.map((r) => r.seat_id).sort()).toEqual(
        truth.sold.filter((s) => pool.includes(s)).sort(),
      );
    }
    watchers.forEach((w) => w.close());
  }, 60_000);

  it('replicas shut down gracefully on SIGTERM (exit 0), closing their cluster connections', async () => {
    expect(await Promise.all(replicas.map((r) => r.stop()))).toEqual([0, 0]);
  });

  /** Each event's channel has `count` subscribers on the master that owns its slot. */
  async function expectShardSubscribers(eventIds: string[], count: number): Promise<void> {
    for (const event of eventIds) {
      const channel = `${backends.prefix}{ev:${event}}:changes`;
      const owner = new Redis(await redisCluster.ownerOf(channel), '127.0.0.1');
      try {
        const reply = await owner.call('PUBSUB', 'SHARDNUMSUB', channel);
        expect(reply).toEqual([channel, count]);
      } finally {
        owner.disconnect();
      }
    }
  }
});

/** The demo event, plus events created with ids that hash to the masters it does not use. */
async function oneEventPerMaster(cluster: PrivateRedisCluster, url: string): Promise<string[]> {
  const events = [DEMO];
  const used = new Set([await cluster.ownerOf(`{ev:${DEMO}}`)]);
  const admin = new Client(url, ADMIN_TOKEN);
  for (let i = 0; used.size < cluster.nodes.length; i++) {
    const id = `cluster-${i}`;
    const owner = await cluster.ownerOf(`{ev:${id}}`);
    if (used.has(owner)) continue;
    used.add(owner);
    const venue = demoArena();
    const body = { id, name: id, venue, startsAt: '2031-01-01T20:00:00.000Z', currency: 'USD' };
    const created = await admin.request('POST', '/api/admin/events', { body });
    expect(created.status).toBe(201);
    events.push(id);
  }
  return events;
}

/** Sessions alternating between the replicas. */
function sessions(replicas: Replica[], count: number): Promise<Client[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => Client.session(replicas[i % replicas.length]!.url)),
  );
}

/** A deterministic spread of 4-seat picks from a 12-seat pool. */
function pickFour(pool: string[], i: number): string[] {
  const picked = new Set<number>();
  let k = i * 7;
  while (picked.size < 4) picked.add((k += 5) % pool.length);
  return [...picked].map((p) => pool[p]!);
}
