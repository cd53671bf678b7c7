// A subscriber that stops reading while thousands of changes flow: its backlog is dropped (the
// server's buffer for it stays bounded), it is told to resync, and the others are not held up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stadium } from '../../src/domain/venue/stadium.js';
import { Client } from '../support/client.js';
import { ADMIN_TOKEN, MODES, startServer, type TestServer } from '../support/server.js';
import { Watcher } from '../support/watcher.js';

const EVENT = 'slow-stadium';
const HIGH_WATER = 64 * 1024;

describe.each(MODES)('backpressure (%s)', (mode) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(mode, {
      env: { WS_HIGH_WATER_BYTES: String(HIGH_WATER), WS_FLUSH_INTERVAL_MS: '20' },
    });
    const created = await new Client(server.url, ADMIN_TOKEN).request('POST', '/api/admin/events', {
      body: {
        id: EVENT,
        name: 'Backpressure',
        venue: stadium({ seats: 20_000 }),
        startsAt: '2031-01-01T20:00:00.000Z',
        currency: 'USD',
      },
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => server.close());

  it('drops a stalled client backlog, resyncs it, and keeps the others live', async () => {
    const fast = await Watcher.subscribe(server.url, EVENT);
    const slow = await Watcher.subscribe(server.url, EVENT);
    slow.socket.pause();
    const seats = (
      await new Client(server.url).request<{ seats: { id: string }[] }>(
        'GET',
        `/api/events/${EVENT}`,
      )
    ).body.seats.map((s) => s.id);

    let maxBuffered = 0;
    const sampler = setInterval(() => {
      for (const client of server.app.websocketServer.clients) {
        maxBuffered = Math.max(maxBuffered, client.bufferedAmount);
      }
    }, 5);
    for (let i = 0; i < 10_000; i += 250) {
      // The stalled client also asks for snapshot after (ever larger) snapshot: they must not
      // pile up either.
      for (let r = 0; r < 10; r++) slow.send({ type: 'resync', eventId: EVENT });
      await new Promise((resolve) => setTimeout(resolve, 5));
      await Promise.all(
        seats.slice(i, i + 250).map((seatId, k) =>
          server.store.hold({
            eventId: EVENT,
            sessionId: `flood-${(i + k) % 1000}`,
            seatIds: [seatId],
            ttlMs: 600_000,
            maxSeats: 100,
          }),
        ),
      );
    }
    const truth = (await new Client(server.url).seats(EVENT)).body;
    await fast.until(() => fast.seq === truth.seq, 5_000);
    clearInterval(sampler);

    expect(fast.untoldGaps).toEqual([]);
    expect(fast.view()).toEqual({ held: [...truth.held].sort(), sold: [] });
    expect(fast.resyncs).toBe(0);
    // Bounded: the high-water mark plus at most one snapshot (about 150 KB here) and one frame.
    expect(maxBuffered).toBeGreaterThan(HIGH_WATER / 2);
    expect(maxBuffered).toBeLessThan(HIGH_WATER + 1024 * 1024);

    slow.socket.resume();
    await slow.until(() => slow.seq === truth.seq && slow.resyncs > 0, 10_000);
    expect(slow.untoldGaps).toEqual([]);
    expect(slow.view()).toEqual({ held: [...truth.held].sort(), sold: [] });
    fast.close();
    slow.close();
  });
});
