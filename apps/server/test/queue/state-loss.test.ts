// A waiting room that does not vanish: Redis is flushed in the middle of a queue (a private
// redis-server, never the shared one), and two replicas at once rebuild it from PostgreSQL
// before answering. Same tickets, same numbers, servedThrough not back, admissions kept; a join
// whose write-behind had not landed is lost, and its session joins again after everyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { ApiError, TicketmainClient, calls } from '@ticketmain/client';
import type { QueueEntry } from '@ticketmain/protocol';
import { seedCommitment, verifyDraw } from '../../src/domain/draw.js';
import { PrivateRedis } from '../support/redis-server.js';
import { ADMIN_TOKEN, TEST_DATABASE_URL, startServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { at, oneSeatVenue } from '../support/venues.js';

const EVENT = 'queue-flush';
const BUYERS = 300;

const venue = oneSeatVenue('Flush Hall');

async function inBatches<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += 50) {
    results.push(...(await Promise.all(items.slice(i, i + 50).map(fn))));
  }
  return results;
}

describe('waiting room state loss (services, two replicas)', () => {
  let redisServer: PrivateRedis;
  let redis: Redis;
  let a: TestServer;
  let b: TestServer;
  let admin: TicketmainClient;
  let replicaB: TicketmainClient;
  let schema: string;

  beforeAll(async () => {
    redisServer = await PrivateRedis.start();
    redis = redisServer.client();
    const env = { QUEUE_TICK_INTERVAL_MS: '20' };
    a = await startServer('services', { redisUrl: redisServer.url, env });
    b = await startServer('services', { redisUrl: redisServer.url, env, replicaOf: a });
    admin = new TicketmainClient({ baseUrl: a.url, adminToken: ADMIN_TOKEN });
    replicaB = new TicketmainClient({ baseUrl: b.url });
    if (a.config.mode.kind !== 'services') throw new Error('services mode expected');
    schema = a.config.mode.databaseSchema ?? '';
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    redis?.disconnect();
    await redisServer?.stop();
  });

  /** Every other buyer talks to replica b, with the same session. */
  const via = (buyer: TicketmainClient, i: number) =>
    i % 2 === 0 ? buyer : replicaB.withToken(buyer.token ?? '');

  const durable = async () => {
    const [queue] = await a.db.query<{ served_through: number; entries: number; admitted: number }>(
      `SELECT q.served_through,
          (SELECT count(*)::int FROM queue_entries e WHERE e.event_id = q.event_id) AS entries,
          (SELECT count(*)::int FROM queue_entries e
            WHERE e.event_id = q.event_id AND e.admitted_until IS NOT NULL) AS admitted
        FROM queues q WHERE q.event_id = $1`,
      [EVENT],
    );
    return queue;
  };

  it('comes back after FLUSHALL with the same tickets, numbers and admissions', async () => {
    await admin.createEvent({
      id: EVENT,
      name: 'Flush Night',
      venue,
      startsAt: '2031-01-01T20:00:00.000Z',
      currency: 'EUR',
    });
    const settings = { opensAt: at(Date.now() - 1_000), admitPerMinute: 3_000 };
    const queue = await admin.configureQueue(EVENT, {
      ...settings,
      salesStartAt: at(Date.now() + 600_000),
    });
    const buyers = await inBatches(Array.from({ length: BUYERS }), () => admin.newBuyer());
    // Half the line on each replica: each writes its own joins behind.
    await inBatches(buyers, (buyer) => via(buyer, buyers.indexOf(buyer)).joinQueue(EVENT));
    // Everyone is in the pre-queue: sales start now, and the draw follows.
    await admin.configureQueue(EVENT, { ...settings, salesStartAt: at(Date.now() + 200) });
    await until('some admitted', async () => {
      const entry = await buyers[0]!.queueEntry(EVENT);
      return entry.servedThrough >= 40 ? entry : undefined;
    });
    await admin.patchQueue(EVENT, { paused: true });

    // The write-behind caught up: every entry, and exactly the admissions Redis made.
    const before = await until('write-behind done', async () => {
      const entries = await inBatches(buyers, (buyer) => buyer.queueEntry(EVENT));
      const served = Math.max(...entries.map((e) => e.servedThrough));
      const stored = await durable();
      const done =
        stored?.entries === BUYERS &&
        stored.served_through === served &&
        stored.admitted === served;
      return done ? entries : undefined;
    });
    const servedBefore = before[0]!.servedThrough;
    expect(before.every((e) => e.number !== null && e.servedThrough === servedBefore)).toBe(true);
    expect(before.filter((e) => e.status === 'admitted')).toHaveLength(servedBefore);

    // A join in the last instant: its write is held back (the table locked), so the flush wins.
    const locker = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${schema}.queue_entries IN EXCLUSIVE MODE`);
    const lastInstant = await admin.newBuyer();
    const lost = await lastInstant.joinQueue(EVENT);
    expect(lost.number).toBe(BUYERS + 1);

    const keysBefore = await redis.dbsize();
    await redis.flushall();
    expect(keysBefore).toBeGreaterThan(0);
    expect(await redis.dbsize()).toBe(0);

    // Both replicas answer at once, each finding the queue lost and rebuilding it.
    const after = await Promise.all(buyers.map((buyer, i) => via(buyer, i).queueEntry(EVENT)));
    console.info(
      `queue state loss: 1 of 1 planned FLUSHALL, ${keysBefore} keys lost, ${BUYERS} entries rebuilt`,
    );
    after.forEach((entry: QueueEntry, i) => {
      const was = before[i]!;
      expect(entry.ticketId).toBe(was.ticketId);
      expect(entry.number).toBe(was.number);
      expect(entry.servedThrough).toBeGreaterThanOrEqual(servedBefore);
      expect(entry.status).toBe(was.status);
      expect(entry.admittedUntil).toBe(was.admittedUntil);
    });

    // The lost join: not in line any more; joining again puts it after everyone.
    const missing = await lastInstant.queueEntry(EVENT).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ApiError);
    expect(missing).toMatchObject({ status: 404, code: 'QUEUE_NOT_JOINED' });
    const again = await lastInstant.send(calls.joinQueue(EVENT));
    expect(again.status).toBe(201);
    expect(again.data.ticketId).not.toBe(lost.ticketId);
    expect(again.data.number).toBe(BUYERS + 1);
    await locker.query('ROLLBACK');
    await locker.end();

    // The held-back write lands too, and the rejoin replaces it: one entry for the session.
    await until('rejoin stored', async () => {
      const rows = await a.db.query<{ ticket_id: string }>(
        'SELECT ticket_id FROM queue_entries WHERE event_id = $1 AND ticket_id = ANY($2)',
        [EVENT, [lost.ticketId, again.data.ticketId]],
      );
      return rows.length === 1 && rows[0]!.ticket_id === again.data.ticketId;
    });

    // The draw is still the committed one, and admission goes on from where it was.
    const audit = await admin.queueAudit(EVENT);
    expect(audit.seedCommitment).toBe(queue.seedCommitment);
    expect(seedCommitment(Buffer.from(audit.seed, 'hex'))).toBe(queue.seedCommitment);
    expect(audit.prequeue).toHaveLength(BUYERS);
    expect(verifyDraw(Buffer.from(audit.seed, 'hex'), audit.prequeue)).toBe(true);
    await admin.patchQueue(EVENT, { paused: false });
    const next = before.find((e) => e.number === servedBefore + 1)!;
    const nextBuyer = buyers[before.indexOf(next)]!;
    await until('admission goes on', async () => {
      const entry = await nextBuyer.queueEntry(EVENT);
      return entry.status === 'admitted' ? entry : undefined;
    });
  });
});
