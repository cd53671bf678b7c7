// The waiting room seen live (API.md "Waiting room"): the `queue` WebSocket frame on two replicas
// (at once on asking, on each change, at most a few a second, naming no one), and the queue's
// settings in the event's detail, which every replica's catalog picks up within its refresh.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketmainClient } from '@ticketmain/client';
import type { QueueMessage } from '@ticketmain/protocol';
import { ADMIN_TOKEN, startServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { Watcher } from '../support/watcher.js';
import { at, oneSeatVenue } from '../support/venues.js';

const FRAME_MS = 250;
const SMALL_HALL = oneSeatVenue('Small Hall');
const last = (w: Watcher): QueueMessage | undefined => w.queues[w.queues.length - 1];

describe('queue frames and the detail on two replicas', () => {
  let first: TestServer;
  let second: TestServer;
  const watchers: Watcher[] = [];

  beforeAll(async () => {
    const env = { QUEUE_TICK_INTERVAL_MS: '20', QUEUE_FRAME_INTERVAL_MS: String(FRAME_MS) };
    first = await startServer('services', { env });
    second = await startServer('services', { env, replicaOf: first });
  });
  afterAll(async () => {
    for (const w of watchers) w.close();
    await second?.close();
    await first?.close();
  });

  async function watch(server: TestServer, eventId: string): Promise<Watcher> {
    const watcher = await Watcher.open(server.url);
    watchers.push(watcher);
    watcher.send({ type: 'queue', eventId });
    await watcher.until(() => watcher.queues.length > 0);
    return watcher;
  }

  it('sends servedThrough as it advances, and a rate change within a second, on both', async () => {
    const admin = new TicketmainClient({ baseUrl: first.url, adminToken: ADMIN_TOKEN });
    const adminOnSecond = new TicketmainClient({ baseUrl: second.url, adminToken: ADMIN_TOKEN });
    const eventId = 'arena-demo';
    // Each replica has loaded the event before the queue exists: the detail must change.
    expect((await admin.getEvent(eventId)).queue).toBeNull();
    expect((await adminOnSecond.getEvent(eventId)).queue).toBeNull();
    const salesStartAt = Date.now() + 1_000;
    const queue = await admin.configureQueue(eventId, {
      opensAt: at(Date.now() - 1_000),
      salesStartAt: at(salesStartAt),
      admitPerMinute: 300,
    });
    const configuredAt = Date.now();
    expect((await admin.getEvent(eventId)).queue).toEqual(queue);
    await until(
      'the queue in the other replica detail',
      async () => (await adminOnSecond.getEvent(eventId)).queue?.seedCommitment,
      5_000,
    );
    // The catalog's refresh is 2 s; the rest is a loaded machine's slack.
    expect(Date.now() - configuredAt).toBeLessThan(4_000);

    const here = await watch(first, eventId);
    const there = await watch(second, eventId);
    for (const w of [here, there]) {
      expect(w.queues[0]).toEqual({
        type: 'queue',
        eventId,
        servedThrough: 0,
        waiting: 0,
        admitPerMinute: 300,
        paused: false,
      });
    }
    const line = await Promise.all(Array.from({ length: 30 }, () => admin.newBuyer()));
    const onSecond = (b: TicketmainClient) =>
      new TicketmainClient({ baseUrl: second.url, token: b.token });
    await Promise.all(line.map((b, i) => (i % 2 === 0 ? b : onSecond(b)).joinQueue(eventId)));
    const watchedFrom = Date.now();
    for (const w of [here, there]) {
      await w.until(() => (last(w)?.servedThrough ?? 0) >= 3, 10_000);
      await w.until(() => last(w)?.waiting === 30 - (last(w)?.servedThrough ?? 0), 10_000);
      const served = w.queues.map((q) => q.servedThrough);
      // Never backwards, and every frame says something new.
      expect(served).toEqual([...served].sort((a, b) => a - b));
      const texts = w.queues.map((q) => JSON.stringify(q));
      expect(texts.every((t, i) => i === 0 || t !== texts[i - 1])).toBe(true);
      // waiting + servedThrough: every entry so far, never more than joined.
      expect(w.queues.every((q) => q.waiting + q.servedThrough <= 30)).toBe(true);
    }
    // At most one frame per interval per event (and the first one on asking).
    const elapsed = Date.now() - watchedFrom + (watchedFrom - configuredAt);
    for (const w of [here, there]) {
      expect(w.queues.length).toBeLessThanOrEqual(Math.ceil(elapsed / FRAME_MS) + 2);
    }

    const patched = await adminOnSecond.patchQueue(eventId, { admitPerMinute: 60_000 });
    expect(patched.admitPerMinute).toBe(60_000);
    const patchedAt = Date.now();
    for (const w of [here, there]) {
      await w.until(() => last(w)?.admitPerMinute === 60_000, 1_000);
    }
    expect(Date.now() - patchedAt).toBeLessThan(1_000);
    const servedAtPatch = Math.max(...[here, there].map((w) => last(w)?.servedThrough ?? 0));
    for (const w of [here, there]) {
      await w.until(() => last(w)?.servedThrough === 30 && last(w)?.waiting === 0, 10_000);
    }
    // The new rate admits on both replicas at once: the rest of the line within a second (plus
    // a frame), where the old 5 a second would have needed (30 - served) / 5 seconds.
    const rest = Date.now() - patchedAt;
    if (30 - servedAtPatch > 10) expect(rest).toBeLessThan(1_000 + 2 * FRAME_MS);
    for (const w of [here, there]) {
      expect(w.malformed).toEqual([]);
      expect(w.errors).toEqual([]);
      // The frame is the same for everyone: no session, no ticket.
      for (const frame of w.queues) {
        expect(Object.keys(frame).sort()).toEqual(
          ['admitPerMinute', 'eventId', 'paused', 'servedThrough', 'type', 'waiting'].sort(),
        );
      }
    }
    // The detail of both replicas follows the rate within the catalog's refresh.
    for (const client of [admin, adminOnSecond]) {
      await until(
        'the new rate in the detail',
        async () => (await client.getEvent(eventId)).queue?.admitPerMinute === 60_000,
        5_000,
      );
    }
  });

  it('answers QUEUE_NOT_FOUND for an event without a queue', async () => {
    const admin = new TicketmainClient({ baseUrl: first.url, adminToken: ADMIN_TOKEN });
    await admin.createEvent({
      id: 'no-queue-frames',
      name: 'Open Night',
      venue: SMALL_HALL,
      startsAt: '2031-01-01T20:00:00.000Z',
      currency: 'EUR',
    });
    const watcher = await Watcher.open(first.url);
    watchers.push(watcher);
    watcher.send({ type: 'queue', eventId: 'no-queue-frames' });
    await watcher.until(() => watcher.errors.length > 0);
    expect(watcher.errors[0]).toMatchObject({ code: 'QUEUE_NOT_FOUND' });
    expect(watcher.queues).toEqual([]);
  });
});

describe('the queue in the detail (embedded)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer('embedded');
  });
  afterAll(() => server?.close());

  it('shows the settings at once after a PUT and a PATCH, and in the queue frame', async () => {
    const admin = new TicketmainClient({ baseUrl: server.url, adminToken: ADMIN_TOKEN });
    expect((await admin.getEvent('arena-demo')).queue).toBeNull();
    const queue = await admin.configureQueue('arena-demo', {
      opensAt: at(Date.now()),
      salesStartAt: at(Date.now() + 60_000),
      admitPerMinute: 120,
    });
    expect((await admin.getEvent('arena-demo')).queue).toEqual(queue);
    const watcher = await Watcher.open(server.url);
    try {
      watcher.send({ type: 'queue', eventId: 'arena-demo' });
      await watcher.until(() => watcher.queues.length > 0);
      expect(watcher.queues[0]).toMatchObject({ admitPerMinute: 120, paused: false, waiting: 0 });
      await admin.patchQueue('arena-demo', { paused: true });
      expect((await admin.getEvent('arena-demo')).queue).toEqual({ ...queue, paused: true });
      await watcher.until(() => last(watcher)?.paused === true, 1_000);
      // A buyer joins the pre-queue: the frame counts it.
      await (await admin.newBuyer()).joinQueue('arena-demo');
      await watcher.until(() => last(watcher)?.waiting === 1, 1_000);
      watcher.send({ type: 'unsubscribe', eventId: 'arena-demo' });
      const seen = watcher.queues.length;
      await admin.patchQueue('arena-demo', { paused: false });
      // Unsubscribed: no more frames (well past one interval).
      await new Promise((resolve) => setTimeout(resolve, FRAME_MS * 3));
      expect(watcher.queues).toHaveLength(seen);
    } finally {
      watcher.close();
    }
  });
});
