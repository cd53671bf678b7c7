// The fan-out subscribers against a stand-in server: every change counted once, the hello that
// opens each connection taken as it is (no error, no slow read), the sampled view kept right.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeSeatServer, type FakeSeatServer } from './fake-seat-server.js';
import { SubscriberPool } from './pool.js';

const EVENT_ID = 'arena-demo';

describe('SubscriberPool', () => {
  let server: FakeSeatServer;
  let pool: SubscriberPool;

  beforeEach(async () => {
    server = await fakeSeatServer(EVENT_ID);
    pool = new SubscriberPool(10_000);
  });

  afterEach(async () => {
    await pool.close();
    await server.close();
  });

  it('ignores the hello of each connection and counts every change', async () => {
    server.change([{ seatId: 'A1', status: 'HELD' }]);
    // Marked first, so that the connections' hellos arrive within the window.
    pool.mark({ type: 'mark', fromSeq: 1 });
    const connected = await pool.connect({
      type: 'connect',
      url: server.url,
      eventId: EVENT_ID,
      total: 3,
      concurrency: 3,
      sampled: 1,
      timeoutMs: 5_000,
    });
    expect(connected).toMatchObject({ open: 3, failed: 0 });
    server.change([
      { seatId: 'A2', status: 'HELD' },
      { seatId: 'A1', status: 'SOLD' },
    ]);
    server.change([{ seatId: 'A2', status: 'AVAILABLE' }]);

    const stats = await pool.collect({ type: 'collect', fromSeq: 1, toSeq: 4, timeoutMs: 5_000 });

    expect(stats).toMatchObject({
      subscribers: 3,
      complete: 3,
      expected: 3,
      frames: 6,
      gaps: 0,
      resyncs: 0,
      errors: 0,
      slowReads: 0,
      framesWithoutTime: 0,
    });
    expect(stats.samples).toEqual([{ index: 0, seq: 4, held: [], sold: ['A1'] }]);
  });
});
