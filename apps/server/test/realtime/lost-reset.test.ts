// Redis restarts empty while a replica's subscriber connection is down, so the restore's reset
// never reaches it, and the new state's sequence numbers climb back to exactly where the replica's
// mirror stood. The next change then looks like the continuation of the old state; only the
// state's epoch tells them apart. Private redis-server: the test kills pub/sub connections and
// keeps them out (maxclients) until the state is rebuilt.
import { expect, it } from 'vitest';
import { Keys } from '../../src/holds/keys.js';
import { Client } from '../support/client.js';
import { serverOnPrivateRedis } from '../support/server.js';
import { until } from '../support/wait.js';
import { Watcher } from '../support/watcher.js';

const EVENT = 'arena-demo';

const suite = serverOnPrivateRedis();

it('a mirror of a lost state resyncs even when the reset was missed and the sequence caught up', async () => {
  const { server, redis: admin } = suite;
  const watcher = await Watcher.subscribe(server.url, EVENT);
  const buyer = await Client.session(server.url);
  const before = ['A1', 'A2', 'A3'];
  for (const seatId of before) expect((await buyer.hold(EVENT, [seatId])).status).toBe(201);
  await watcher.until(() => before.every((seatId) => watcher.seats.get(seatId) === 'HELD'));
  const head = watcher.seq;
  const snapshotsBefore = watcher.snapshots;

  // The subscriber connection is killed and kept from reconnecting (no connection slot left:
  // Redis refuses new ones); meanwhile Redis loses everything, the state is rebuilt (its reset
  // is published to nobody) and exactly `head` changes happen, so the store's sequence is back at
  // the mirror's head.
  const channel = new Keys(server.config.redisKeyPrefix).event(EVENT).channel;
  expect(await subscribers(channel)).toBe(1);
  const maxClients = (await admin.config('GET', 'maxclients')) as string[];
  const connected = String(await admin.call('CLIENT', 'LIST'))
    .trim()
    .split('\n').length;
  const refusedBefore = await refusedConnections();
  await admin.config('SET', 'maxclients', String(connected - 1));
  const killed = await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
  await until('a reconnect of the subscriber refused', async () => {
    return (await refusedConnections()) > refusedBefore;
  });
  await admin.flushall();
  await server.store.restore(EVENT, []);
  expect(await subscribers(channel)).toBe(0);
  const lost = Array.from({ length: head }, (_, i) => `B${i + 1}`);
  for (const seatId of lost) {
    const outcome = await server.store.hold({
      eventId: EVENT,
      sessionId: 'another-session',
      seatIds: [seatId],
      ttlMs: 60_000,
      maxSeats: 100,
    });
    expect(outcome.ok).toBe(true);
  }
  expect(await server.store.sequence(EVENT)).toMatchObject({ seq: head });
  const refused = (await refusedConnections()) - refusedBefore;
  console.info(
    `lost reset: ${String(killed)} of 1 planned subscriber connection killed, ` +
      `${refused} reconnects refused while the state was lost and rebuilt`,
  );
  expect(killed).toBe(1);

  // Once subscribed again, the next change continues the sequence exactly.
  await admin.config('SET', 'maxclients', maxClients[1]!);
  await until('the subscriber back', async () => (await subscribers(channel)) === 1);
  expect((await buyer.hold(EVENT, ['C1'])).status).toBe(201);

  // The buyer's view must become the truth: the three lost holds gone, the new ones there.
  const truth = await server.store.snapshot(EVENT);
  if (!truth.ok) throw new Error('not ready');
  await watcher.until(() => {
    const view = watcher.view();
    return view.held.join() === [...truth.held].sort().join() && view.sold.length === 0;
  }, 8_000);
  expect(watcher.snapshots).toBeGreaterThan(snapshotsBefore);
  watcher.close();
}, 30_000);

/** Connections subscribed to a sharded channel. */
async function subscribers(channel: string): Promise<number> {
  const reply = (await suite.redis.call('PUBSUB', 'SHARDNUMSUB', channel)) as [string, number];
  return reply[1];
}

/** Connections Redis refused for want of a slot (maxclients), since it started. */
async function refusedConnections(): Promise<number> {
  const stats = await suite.redis.info('stats');
  return Number(/rejected_connections:(\d+)/.exec(stats)?.[1] ?? NaN);
}
