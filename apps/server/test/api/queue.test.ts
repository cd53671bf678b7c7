// The waiting room end to end (API.md "Waiting room"): settings, joins and their refusals, the
// pre-queue drawn at salesStartAt and checkable from the audit, admission in order at the rate,
// pause, the proof of work, sold out, and two replicas that together never pass the rate.
// Timing is never assumed: states are waited for with generous limits, and rate bounds are
// measured against the time that really passed.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, TicketmainClient, calls } from '@ticketmain/client';
import type { QueueEntry, QueueSettingsRequest, VenueLayout } from '@ticketmain/protocol';
import { proofHolds, seedCommitment, solveProof, verifyDraw } from '../../src/domain/draw.js';
import { ADMIN_TOKEN, MODES, startServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { at } from '../support/venues.js';

const TICK_MS = '20';

function venue(seats: number): VenueLayout {
  return {
    name: 'Queue Hall',
    stage: { x: 0, y: 0, width: 100, height: 20, label: 'Stage' },
    sections: [
      {
        id: 'floor',
        name: 'Floor',
        price: 1_000,
        rows: [
          {
            label: 'A',
            seats: Array.from({ length: seats }, (_, i) => ({
              id: `A${i + 1}`,
              number: i + 1,
              x: i * 10,
              y: 40,
            })),
          },
        ],
      },
    ],
  };
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe.each(MODES)('waiting room (%s)', (mode) => {
  let server: TestServer;
  let admin: TicketmainClient;
  let events = 0;

  beforeAll(async () => {
    server = await startServer(mode, { env: { QUEUE_TICK_INTERVAL_MS: TICK_MS } });
    admin = new TicketmainClient({ baseUrl: server.url, adminToken: ADMIN_TOKEN });
  });
  afterAll(() => server?.close());

  async function queuedEvent(settings: Partial<QueueSettingsRequest>, seats = 3) {
    const eventId = `queued-${mode}-${++events}`;
    await admin.createEvent({
      id: eventId,
      name: 'Queued Night',
      venue: venue(seats),
      startsAt: '2031-01-01T20:00:00.000Z',
      currency: 'EUR',
    });
    const queue = await admin.configureQueue(eventId, {
      opensAt: at(Date.now() - 1_000),
      salesStartAt: at(Date.now() + 60_000),
      admitPerMinute: 600,
      ...settings,
    });
    return { eventId, queue };
  }

  const buyers = (count: number) =>
    Promise.all(Array.from({ length: count }, () => admin.newBuyer()));

  it('refuses joins before opensAt, unknown queues and bad settings', async () => {
    const opensAt = at(Date.now() + 60_000);
    const { eventId, queue } = await queuedEvent({
      opensAt,
      salesStartAt: at(Date.now() + 120_000),
    });
    expect(queue).toMatchObject({
      admitPerMinute: 600,
      admissionSeconds: 600,
      powBits: 0,
      paused: false,
    });
    const buyer = await admin.newBuyer();
    expect(await refusal(buyer.joinQueue(eventId))).toMatchObject({
      status: 409,
      code: 'QUEUE_NOT_OPEN',
      problem: { opensAt },
    });
    expect(await refusal(buyer.queueEntry(eventId))).toMatchObject({
      status: 404,
      code: 'QUEUE_NOT_JOINED',
    });
    expect(await refusal(buyer.joinQueue('arena-demo'))).toMatchObject({
      status: 404,
      code: 'QUEUE_NOT_FOUND',
    });
    expect(await refusal(admin.queueAudit(eventId))).toMatchObject({
      status: 409,
      code: 'QUEUE_NOT_DRAWN',
    });
    const backwards = {
      opensAt: at(Date.now() + 10_000),
      salesStartAt: at(Date.now()),
      admitPerMinute: 1,
    };
    expect(await refusal(admin.configureQueue(eventId, backwards))).toMatchObject({ status: 400 });
    expect(await refusal(admin.configureQueue('no-such-event', backwards))).toMatchObject({
      status: 404,
    });
    expect(
      await refusal(
        new TicketmainClient({ baseUrl: server.url, token: buyer.token }).configureQueue(
          eventId,
          backwards,
        ),
      ),
    ).toMatchObject({ status: 401 });
    // The seed stays: its commitment was public from the start.
    const replaced = await admin.configureQueue(eventId, {
      ...backwards,
      opensAt: at(Date.now()),
      salesStartAt: at(Date.now() + 60_000),
    });
    expect(replaced.seedCommitment).toBe(queue.seedCommitment);
    const started = await queuedEvent({ salesStartAt: at(Date.now() - 1) });
    expect(
      await refusal(
        admin.configureQueue(started.eventId, {
          ...backwards,
          opensAt: at(0),
          salesStartAt: at(1),
        }),
      ),
    ).toMatchObject({
      status: 409,
      code: 'QUEUE_STARTED',
    });
    expect(await refusal(admin.patchQueue('arena-demo', { paused: true }))).toMatchObject({
      code: 'QUEUE_NOT_FOUND',
    });
  });

  it('draws the pre-queue at salesStartAt, checkably, then admits in order at the rate', async () => {
    const salesStartAt = Date.now() + 1_500;
    const { eventId, queue } = await queuedEvent({
      salesStartAt: at(salesStartAt),
      admitPerMinute: 600,
    });
    const early = await buyers(12);
    const joined = await Promise.all(early.map((b) => b.joinQueue(eventId)));
    expect(Date.now()).toBeLessThan(salesStartAt);
    for (const entry of joined) expect(entry).toMatchObject({ status: 'prequeue', number: null });
    // Joining again answers the same entry (200).
    const again = await early[0]!.send(calls.joinQueue(eventId));
    expect(again).toMatchObject({ status: 200, data: { ticketId: joined[0]!.ticketId } });
    expect(new Set(joined.map((e) => e.ticketId)).size).toBe(12);

    const drawn = await until('queue state', async () => {
      const entries = await Promise.all(early.map((b) => b.queueEntry(eventId)));
      return entries.every((e) => e.number !== null) ? entries : undefined;
    });
    expect(drawn.map((e) => e.number).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    const late = await admin.newBuyer();
    expect((await late.joinQueue(eventId)).number).toBe(13);

    const audit = await new TicketmainClient({ baseUrl: server.url }).queueAudit(eventId);
    expect(audit.seedCommitment).toBe(queue.seedCommitment);
    expect(seedCommitment(Buffer.from(audit.seed, 'hex'))).toBe(queue.seedCommitment);
    expect(verifyDraw(Buffer.from(audit.seed, 'hex'), audit.prequeue)).toBe(true);
    expect(new Map(audit.prequeue.map((e) => [e.ticketId, e.number]))).toEqual(
      new Map(drawn.map((e) => [e.ticketId, e.number])),
    );

    // Read from the highest number down, so that a lower number is never read before a higher
    // one within a round: each number is then first seen admitted no later than the next one.
    const everyone = [...early, late];
    const byNumberDown = (
      await Promise.all(everyone.map(async (b) => ({ b, e: await b.queueEntry(eventId) })))
    )
      .sort((x, y) => (y.e.number ?? 0) - (x.e.number ?? 0))
      .map(({ b }) => b);
    const firstSeen = new Map<number, number>();
    // The probe's failures would only count as "not yet": what breaks a rule is kept and checked.
    const broken: string[] = [];
    let round = 0;
    await until('every entry admitted', async () => {
      round++;
      for (const buyer of byNumberDown) {
        const entry: QueueEntry = await buyer.queueEntry(eventId);
        const allowed = Math.floor(((Date.now() - salesStartAt) * 600) / 60_000) + 1;
        if (entry.servedThrough > allowed) broken.push(`${entry.servedThrough} > ${allowed}`);
        if (entry.status === 'admitted' && !firstSeen.has(entry.number ?? 0)) {
          firstSeen.set(entry.number ?? 0, round);
          if (Date.parse(entry.admittedUntil ?? '') < Date.now() + 500_000) {
            broken.push(`admission of ${entry.number} too short`);
          }
        }
        if (entry.status === 'waiting' && (entry.etaSeconds ?? 0) <= 0) broken.push('no eta');
      }
      return firstSeen.size === 13;
    });
    expect(broken).toEqual([]);
    const rounds = Array.from({ length: 13 }, (_, i) => firstSeen.get(i + 1) ?? 0);
    expect(rounds).toEqual([...rounds].sort((a, b) => a - b));
  });

  it('admits nothing while paused, and goes on when resumed', async () => {
    const { eventId } = await queuedEvent({
      salesStartAt: at(Date.now() + 300),
      admitPerMinute: 6_000,
    });
    expect(await admin.patchQueue(eventId, { paused: true })).toMatchObject({ paused: true });
    const line = await buyers(5);
    for (const b of line) await b.joinQueue(eventId);
    await until('queue state', async () =>
      (await line[0]!.queueEntry(eventId)).number !== null ? true : undefined,
    );
    await sleep(500);
    for (const b of line)
      expect(await b.queueEntry(eventId)).toMatchObject({ status: 'waiting', servedThrough: 0 });
    expect(await admin.patchQueue(eventId, { paused: false, admitPerMinute: 3_000 })).toMatchObject(
      {
        paused: false,
        admitPerMinute: 3_000,
      },
    );
    await until('queue state', async () => {
      const entries = await Promise.all(line.map((b) => b.queueEntry(eventId)));
      return entries.every((e) => e.status === 'admitted') ? true : undefined;
    });
  });

  it('asks for a proof of work when powBits is set', async () => {
    const { eventId } = await queuedEvent({ powBits: 10 });
    const { sessionId, token } = await admin.createSession();
    const buyer = admin.withToken(token);
    expect(await refusal(buyer.joinQueue(eventId))).toMatchObject({
      status: 422,
      code: 'PROOF_REQUIRED',
    });
    // No body at all is joining without a nonce.
    const bare = await buyer.request('POST', `/api/events/${eventId}/queue`);
    expect(bare).toMatchObject({ status: 422, body: { code: 'PROOF_REQUIRED' } });
    let wrong = 0;
    while (proofHolds(eventId, sessionId, String(wrong), 10)) wrong++;
    expect(await refusal(buyer.joinQueue(eventId, String(wrong)))).toMatchObject({
      code: 'PROOF_REQUIRED',
    });
    expect(await refusal(buyer.queueEntry(eventId))).toMatchObject({ code: 'QUEUE_NOT_JOINED' });
    const nonce = solveProof(eventId, sessionId, 10);
    const digest = createHash('sha256').update(`${eventId}:${sessionId}:${nonce}`).digest();
    expect(digest[0]).toBe(0);
    const entry = await buyer.joinQueue(eventId, nonce);
    expect(entry.status).toBe('prequeue');
    expect(entry.ticketId).not.toBe(sessionId);
  });

  it('closes the waiting entries once the event is sold out', async () => {
    const { eventId } = await queuedEvent(
      { salesStartAt: at(Date.now() + 300), admitPerMinute: 60 },
      1,
    );
    const line = await buyers(3);
    for (const b of line) await b.joinQueue(eventId);
    const first = await until('queue state', async () => {
      for (const b of line) if ((await b.queueEntry(eventId)).status === 'admitted') return b;
      return undefined;
    });
    const { holds } = await first.hold(eventId, ['A1']);
    await first.placeOrder(
      eventId,
      holds.map((h) => h.seatId),
      'queue-sold-out',
    );
    await until('queue state', async () => {
      const statuses = await Promise.all(
        line.map(async (b) => (await b.queueEntry(eventId)).status),
      );
      return statuses.filter((s) => s === 'closed').length === 2 ? true : undefined;
    });
  });
});

describe('waiting room on two replicas', () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    const env = { QUEUE_TICK_INTERVAL_MS: '10' };
    first = await startServer('services', { env });
    second = await startServer('services', { env, replicaOf: first });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('admits at the rate however many replicas tick', async () => {
    const admin = new TicketmainClient({ baseUrl: first.url, adminToken: ADMIN_TOKEN });
    const salesStartAt = Date.now() + 1_000;
    await admin.configureQueue('arena-demo', {
      opensAt: at(Date.now() - 1_000),
      salesStartAt: at(salesStartAt),
      admitPerMinute: 600,
    });
    const line = await Promise.all(Array.from({ length: 40 }, () => admin.newBuyer()));
    const onSecond = (b: TicketmainClient) =>
      new TicketmainClient({ baseUrl: second.url, token: b.token });
    await Promise.all(line.map((b, i) => (i % 2 === 0 ? b : onSecond(b)).joinQueue('arena-demo')));
    const watcher = line[0]!;
    await until('queue state', async () =>
      (await watcher.queueEntry('arena-demo')).servedThrough >= 15 ? true : undefined,
    );
    for (const client of [watcher, onSecond(watcher)]) {
      const { servedThrough } = await client.queueEntry('arena-demo');
      expect(servedThrough).toBeLessThanOrEqual(
        Math.floor(((Date.now() - salesStartAt) * 600) / 60_000) + 1,
      );
    }

    // A rate change made through one replica drives both replicas' tickers.
    const adminOnSecond = new TicketmainClient({ baseUrl: second.url, adminToken: ADMIN_TOKEN });
    expect(await adminOnSecond.patchQueue('arena-demo', { admitPerMinute: 60_000 })).toMatchObject({
      admitPerMinute: 60_000,
    });
    for (const client of [watcher, onSecond(watcher)]) {
      await until('the whole line admitted', async () =>
        (await client.queueEntry('arena-demo')).servedThrough === 40 ? true : undefined,
      );
    }
  });
});
