// The queue demo (events/demo.ts): a first start seeds `arena-queue`, the arena behind a waiting
// room that opens at once and starts its sales two minutes later; the admin reset of it starts
// the waiting room again, with a new seed, new times and no entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, TicketmainClient } from '@ticketmain/client';
import { ADMIN_TOKEN, MODES, startServer, type TestServer } from '../support/server.js';

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
