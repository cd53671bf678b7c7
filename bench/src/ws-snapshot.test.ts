// The WebSocket snapshot timer against a stand-in server: the hello before each snapshot is passed
// over, and every subscribe is timed to its snapshot.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeSeatServer, type FakeSeatServer } from './subscribers/fake-seat-server.js';
import { timeWsSnapshots } from './ws-snapshot.js';

describe('timeWsSnapshots', () => {
  let server: FakeSeatServer;

  beforeEach(async () => {
    server = await fakeSeatServer('bench-stadium');
  });

  afterEach(() => server.close());

  it('waits past the hello for the snapshot of each subscribe', async () => {
    server.change([
      { seatId: 'S1', status: 'HELD' },
      { seatId: 'S2', status: 'SOLD' },
    ]);
    const r = await timeWsSnapshots(server.url, 'bench-stadium', 3, Date.now() + 10_000);
    expect(r.failures).toEqual([]);
    expect(r.times).toHaveLength(3);
    expect(r.first).toMatchObject({ seq: 2, held: ['S1'], sold: ['S2'] });
  });
});
