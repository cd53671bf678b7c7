// The queue demo (events/demo.ts): a first start seeds `arena-queue`, the arena behind a waiting
// room that opens at once and starts its sales two minutes later; the admin reset of it starts
// the waiting room again, with a new seed, new times and no entries; a Redis loss after that
// rebuilds the re-armed waiting room from PostgreSQL, not the one before the reset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, TicketmainClient } from '@ticketmain/client';
import {
  ADMIN_TOKEN,
  MODES,
  serverOnPrivateRedis,
  startServer,
  type TestServer,
} from '../support/server.js';
import { until } from '../support/wait.js';

const EVENT = 'arena-queue';

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe.each(MODES)('the queue demo (%s)', (mode) => {
  let server: TestServer;
  let admin: TicketmainClient;
  let startedAt: number;

  beforeAll(async () => {
    startedAt = Date.now();
    server = await startServer(mode);
    admin = new TicketmainClient({ baseUrl: server.url, adminToken: ADMIN_TOKEN });
  });
  afterAll(() => server?.close());

  it('is seeded with a waiting room whose sales start two minutes after the start', async () => {
    const readyAt = Date.now();
    const detail = await admin.getEvent(EVENT);
    expect(detail.seatCount).toBe((await admin.getEvent('arena-demo')).seatCount);
    const queue = detail.queue;
    if (queue === null) throw new Error('the queue demo has no waiting room');
    expect(queue).toMatchObject({ admitPerMinute: 60, paused: false, powBits: 0 });
    const opensAt = Date.parse(queue.opensAt);
    expect(opensAt).toBeGreaterThanOrEqual(startedAt - 1_000);
    expect(opensAt).toBeLessThanOrEqual(readyAt);
    expect(Date.parse(queue.salesStartAt) - opensAt).toBe(2 * 60_000);
    // Before its turn, nobody holds.
    const buyer = await admin.newBuyer();
    expect(await refusal(buyer.hold(EVENT, [detail.seats[0]!.id]))).toMatchObject({
      status: 403,
      code: 'QUEUE_ADMISSION_REQUIRED',
    });
  });

  it('starts the waiting room again on reset: new seed, new times, entries cleared', async () => {
    const before = (await admin.getEvent(EVENT)).queue!;
    const buyer = await admin.newBuyer();
    const entry = await buyer.joinQueue(EVENT);
    expect(entry).toMatchObject({ status: 'prequeue', number: null });
    const resetAt = Date.now();
    await admin.resetEvent(EVENT);
    const after = (await admin.getEvent(EVENT)).queue!;
    expect(after.seedCommitment).not.toBe(before.seedCommitment);
    expect(Date.parse(after.opensAt)).toBeGreaterThanOrEqual(resetAt);
    expect(Date.parse(after.salesStartAt) - Date.parse(after.opensAt)).toBe(2 * 60_000);
    expect(await refusal(buyer.queueEntry(EVENT))).toMatchObject({
      status: 404,
      code: 'QUEUE_NOT_JOINED',
    });
    const again = await buyer.joinQueue(EVENT);
    expect(again.ticketId).not.toBe(entry.ticketId);
    // The other demo's reset leaves it without a queue.
    await admin.resetEvent('arena-demo');
    expect((await admin.getEvent('arena-demo')).queue).toBeNull();
  });
});

describe('the queue demo after a reset and a Redis loss (services)', () => {
  const suite = serverOnPrivateRedis();
  let admin: TicketmainClient;
  beforeAll(() => {
    admin = new TicketmainClient({ baseUrl: suite.server.url, adminToken: ADMIN_TOKEN });
  });

  const stored = (ticketIds: string[]) =>
    suite.server.db.query<{ ticket_id: string }>(
      'SELECT ticket_id FROM queue_entries WHERE event_id = $1 AND ticket_id = ANY($2)',
      [EVENT, ticketIds],
    );

  it('rebuilds the re-armed waiting room, not the one before the reset', async () => {
    const early = await admin.newBuyer();
    const before = await early.joinQueue(EVENT);
    await until('the first join stored', async () => (await stored([before.ticketId])).length);
    const oldQueue = (await admin.getEvent(EVENT)).queue!;
    await admin.resetEvent(EVENT);
    const armed = (await admin.getEvent(EVENT)).queue!;
    expect(armed.seedCommitment).not.toBe(oldQueue.seedCommitment);
    const late = await admin.newBuyer();
    const after = await late.joinQueue(EVENT);
    // The re-armed line is durable: the old entry gone from PostgreSQL, the new one there.
    await until('the re-armed line stored', async () => {
      const rows = await stored([before.ticketId, after.ticketId]);
      return rows.length === 1 && rows[0]!.ticket_id === after.ticketId;
    });

    const { redis } = suite;
    const keysBefore = await redis.dbsize();
    await redis.flushall();
    expect(keysBefore).toBeGreaterThan(0);
    console.info(`queue demo state loss: 1 of 1 planned FLUSHALL, ${keysBefore} keys lost`);

    const rebuilt = (await admin.getEvent(EVENT)).queue!;
    expect(rebuilt.seedCommitment).toBe(armed.seedCommitment);
    expect(rebuilt.opensAt).toBe(armed.opensAt);
    expect(rebuilt.salesStartAt).toBe(armed.salesStartAt);
    expect(await late.queueEntry(EVENT)).toMatchObject({ ticketId: after.ticketId });
    expect(await refusal(early.queueEntry(EVENT))).toMatchObject({
      status: 404,
      code: 'QUEUE_NOT_JOINED',
    });
  });
});
