// SIGTERM: the replica stops accepting, finishes what is in flight, closes WebSockets with 1012
// (service restart) so clients reconnect elsewhere, and exits 0 within 10 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client.js';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';
import { Watcher } from '../support/watcher.js';

const EVENT = 'arena-demo';

describe('graceful shutdown (services)', () => {
  const backends = new SharedBackends();
  let replica: Replica;
  beforeAll(async () => {
    await backends.create();
    replica = await startReplica(backends.env());
  }, 60_000);
  afterAll(async () => {
    await replica.stop('SIGKILL');
    await backends.drop();
  });

  it('finishes in-flight requests, closes sockets with 1012 and exits 0', async () => {
    const watcher = await Watcher.subscribe(replica.url, EVENT);
    const closed = new Promise<number>((resolve) => watcher.socket.once('close', resolve));
    const buyers = await Promise.all(Array.from({ length: 40 }, () => Client.session(replica.url)));
    const inFlight = buyers.map((b, i) => b.hold(EVENT, [`${i < 30 ? 'P' : 'O'}${(i % 30) + 1}`]));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const started = Date.now();
    const exit = replica.stop('SIGTERM');

    const replies = await Promise.allSettled(inFlight);
    const answered = replies.flatMap((r) => (r.status === 'fulfilled' ? [r.value.status] : []));
    // Every request the server had taken is answered in full; none is cut off half-way.
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.filter((s) => s !== 201 && s !== 503)).toEqual([]);
    expect(await closed).toBe(1012);
    expect(await exit).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);
});
