// Joins that must change nothing: an unknown event, a queue not open yet, a wrong proof, and a
// flood of joins from one session (without a limit: its one entry; with the join limit on: 429
// past it). Each gets its answer, and afterwards Redis (the event's keys) and PostgreSQL
// (queue_entries) hold exactly what they held before, or the one entry.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, TicketmainClient } from '@ticketmain/client';
import type { Problem } from '@ticketmain/protocol';
import { proofHolds } from '../../src/domain/draw.js';
import { Keys } from '../../src/holds/keys.js';
import { Client } from '../support/client.js';
import { ADMIN_TOKEN, MODES, startServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { at, oneSeatEvent } from '../support/venues.js';

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe.each(MODES)('waiting room bad input (%s)', (mode) => {
  let server: TestServer;
  let admin: TicketmainClient;
  let events = 0;

  beforeAll(async () => {
    server = await startServer(mode);
    admin = new TicketmainClient({ baseUrl: server.url, adminToken: ADMIN_TOKEN });
  });
  afterAll(() => server?.close());

  /** What the stores hold of an event's line: the Redis entry count and the PG rows. */
  async function written(eventId: string) {
    // The durable copy is written behind within a second: wait past it before counting.
    await sleep(1_500);
    const rows = await server.db.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM queue_entries WHERE event_id = $1',
      [eventId],
    );
    let redisKeys: string[] = [];
    let redisEntries = 0;
    if (server.redis !== undefined) {
      const prefix = server.config.redisKeyPrefix;
      redisKeys = (await server.redis.keys(`${prefix}{ev:${eventId}}:q:*`)).sort();
      redisEntries = await server.redis.hlen(new Keys(prefix).event(eventId).queue.entries);
    }
    return { rows: Number(rows[0]?.n ?? 0), redisKeys, redisEntries };
  }

  async function queuedEvent(settings: { opensAt?: number; powBits?: number } = {}) {
    const eventId = `bad-input-${mode}-${++events}`;
    await admin.createEvent(oneSeatEvent(eventId, 'Bad Input Night'));
    const opensAt = settings.opensAt ?? Date.now() - 1_000;
    await admin.configureQueue(eventId, {
      opensAt: at(opensAt),
      salesStartAt: at(Math.max(opensAt, Date.now()) + 600_000),
      admitPerMinute: 600,
      powBits: settings.powBits ?? 0,
    });
    return eventId;
  }

  it('refuses an unknown event and a queue not open, writing nothing', async () => {
    const buyer = await admin.newBuyer();
    expect(await refusal(buyer.joinQueue('no-such-event'))).toMatchObject({
      status: 404,
      code: 'QUEUE_NOT_FOUND',
    });
    // An event without a waiting room: the same answer.
    expect(await refusal(buyer.joinQueue('arena-demo'))).toMatchObject({
      status: 404,
      code: 'QUEUE_NOT_FOUND',
    });
    expect(await written('no-such-event')).toEqual({ rows: 0, redisKeys: [], redisEntries: 0 });
    expect(await written('arena-demo')).toEqual({ rows: 0, redisKeys: [], redisEntries: 0 });

    const closed = await queuedEvent({ opensAt: Date.now() + 600_000 });
    const before = await written(closed);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => refusal(buyer.joinQueue(closed))),
    );
    for (const a of answers) expect(a).toMatchObject({ status: 409, code: 'QUEUE_NOT_OPEN' });
    expect(await written(closed)).toEqual(before);
    expect(before.rows).toBe(0);
    expect(before.redisEntries).toBe(0);
  });

  it('refuses a wrong proof, and answers a flood of joins from one session with its one entry', async () => {
    const eventId = await queuedEvent({ powBits: 8 });
    const { sessionId, token } = await admin.createSession();
    const buyer = admin.withToken(token);
    const wrong: string[] = [];
    for (let n = 0; wrong.length < 50; n++) {
      if (!proofHolds(eventId, sessionId, String(n), 8)) wrong.push(String(n));
    }
    const refused = await Promise.all(
      wrong.map((nonce) => refusal(buyer.joinQueue(eventId, nonce))),
    );
    for (const r of refused) expect(r).toMatchObject({ status: 422, code: 'PROOF_REQUIRED' });
    expect(await written(eventId)).toMatchObject({ rows: 0, redisEntries: 0 });

    let good = 0;
    while (!proofHolds(eventId, sessionId, String(good), 8)) good++;
    // 200 joins at once from one session: one entry, the same ticket for all, one row.
    const flood = await Promise.all(
      Array.from({ length: 200 }, () =>
        buyer.request('POST', `/api/events/${eventId}/queue`, { body: { nonce: String(good) } }),
      ),
    );
    const statuses = flood.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(199);
    const tickets = new Set(flood.map((r) => (r.body as { ticketId: string }).ticketId));
    expect(tickets.size).toBe(1);
    const after = await written(eventId);
    expect(after.rows).toBe(1);
    if (server.redis !== undefined) expect(after.redisEntries).toBe(1);
    expect((await admin.getEvent(eventId)).queue).not.toBeNull();
  });
});

describe.each(MODES)('a flood of joins from one session, join limit on (%s)', (mode) => {
  const LIMIT = 5;
  let server: TestServer;
  let admin: TicketmainClient;

  beforeAll(async () => {
    server = await startServer(mode, {
      env: { RATE_LIMITS: 'on', RATE_LIMIT_JOINS_PER_MINUTE: String(LIMIT) },
    });
    admin = new TicketmainClient({ baseUrl: server.url, adminToken: ADMIN_TOKEN });
  });
  afterAll(() => server?.close());

  async function rowsOf(eventId: string, sessionId: string): Promise<number> {
    const rows = await server.db.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM queue_entries WHERE event_id = $1 AND session_id = $2',
      [eventId, sessionId],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async function joined(eventId: string): Promise<number> {
    const got = await server.queues.get(eventId);
    if (!got.ok) throw new Error(got.reason);
    return got.queue.joined;
  }

  function join(token: string, eventId: string, nonce: string) {
    return new Client(server.url, token).request<Problem>('POST', `/api/events/${eventId}/queue`, {
      body: { nonce },
    });
  }

  it('answers 429 past the limit with Retry-After, writes nothing, and leaves others be', async () => {
    const eventId = `join-flood-${mode}`;
    await admin.createEvent(oneSeatEvent(eventId, 'Flood Night'));
    await admin.configureQueue(eventId, {
      opensAt: at(Date.now() - 1_000),
      salesStartAt: at(Date.now() + 600_000),
      admitPerMinute: 600,
      powBits: 4,
    });
    const solve = (sessionId: string, valid: boolean) => {
      let n = 0;
      while (proofHolds(eventId, sessionId, String(n), 4) !== valid) n++;
      return String(n);
    };

    // A session with no entry: its wrong proofs use up the limit, then even a good one is refused.
    const bot = await admin.createSession();
    const wrong = solve(bot.sessionId, false);
    for (let i = 0; i < LIMIT; i++) {
      expect((await join(bot.token, eventId, wrong)).status).toBe(422);
    }
    const flood = await Promise.all(
      Array.from({ length: 40 }, () => join(bot.token, eventId, solve(bot.sessionId, true))),
    );
    for (const reply of flood) {
      expect(reply.status).toBe(429);
      expect(reply.contentType).toContain('application/problem+json');
      expect(reply.body.code).toBe('RATE_LIMITED');
      const retryAfter = Number(reply.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    expect(await refusal(admin.withToken(bot.token).queueEntry(eventId))).toMatchObject({
      status: 404,
      code: 'QUEUE_NOT_JOINED',
    });
    expect(await joined(eventId)).toBe(0);

    // A session in line: LIMIT joins answer its entry, the rest 429; still one entry.
    const fan = await admin.createSession();
    const nonce = solve(fan.sessionId, true);
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 10; i++)
      statuses.push((await join(fan.token, eventId, nonce)).status);
    expect(statuses).toEqual([201, ...Array(LIMIT - 1).fill(200), ...Array(10).fill(429)]);

    // Another session is not affected.
    const other = await admin.createSession();
    expect((await join(other.token, eventId, solve(other.sessionId, true))).status).toBe(201);
    expect(await joined(eventId)).toBe(2);
    // The durable copy: the two entries, written behind in order, and nothing of the bot's.
    await until(
      'the last entry in PostgreSQL',
      async () => (await rowsOf(eventId, other.sessionId)) === 1,
    );
    expect(await rowsOf(eventId, fan.sessionId)).toBe(1);
    expect(await rowsOf(eventId, bot.sessionId)).toBe(0);
    if (server.redis !== undefined) {
      const q = new Keys(server.config.redisKeyPrefix).event(eventId).queue;
      expect(await server.redis.hlen(q.entries)).toBe(2);
    }
  });
});
