// How many people look at an event: every subscriber of every replica counted once, the sum sent
// to all of them as a `viewers` frame, a replica that dies dropping out within the ttl, and
// nothing but the count on the wire. Two replica processes on the shared Redis, and embedded mode.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';
import { startServer, type TestServer } from '../support/server.js';
import { Watcher } from '../support/watcher.js';

const EVENT = 'arena-demo';
const INTERVAL_MS = 200;
/** The ttl of a replica's report: three intervals. */
const TTL_MS = INTERVAL_MS * 3;

const last = (watcher: Watcher) => watcher.viewers.at(-1);
const waitCount = (watchers: Watcher[], count: number) =>
  Promise.all(watchers.map((w) => w.until(() => last(w) === count, 5_000)));

describe('viewers over two replicas', () => {
  const backends = new SharedBackends();
  let a: Replica;
  let b: Replica;
  const watchers: Watcher[] = [];
  const watch = async (url: string) => {
    const watcher = await Watcher.subscribe(url, EVENT);
    watchers.push(watcher);
    return watcher;
  };

  beforeAll(async () => {
    await backends.create();
    const env = backends.env({ WS_VIEWERS_INTERVAL_MS: String(INTERVAL_MS) });
    [a, b] = await Promise.all([startReplica(env), startReplica(env)]);
  });
  afterEach(() => {
    for (const watcher of watchers.splice(0)) {
      watcher.close();
      expect(watcher.malformed).toEqual([]);
      expect(watcher.errors).toEqual([]);
    }
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await backends.drop();
  });

  it('sends every watcher the sum over the replicas, and follows people leaving', async () => {
    const onA = await Promise.all([watch(a.url), watch(a.url), watch(a.url)]);
    const onB = await Promise.all([watch(b.url), watch(b.url)]);
    await waitCount([...onA, ...onB], 5);

    onA[0]?.close();
    onA[1]?.close();
    await waitCount([onA[2]!, ...onB], 3);
    // Only the count travels: a viewers frame has no other field than its type and event.
    const frames = (onB[0]?.frames ?? [])
      .map((f) => JSON.parse(f) as Record<string, unknown>)
      .filter((f) => f.type === 'viewers');
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames)
      expect(Object.keys(frame).sort()).toEqual(['count', 'eventId', 'type']);
    expect(frames.map((f) => f.count)).toContain(5);
  });

  it("drops a replica that died from the count once its report's ttl has run out", async () => {
    const onA = await watch(a.url);
    const onB = await Promise.all([watch(b.url), watch(b.url)]);
    await waitCount([onA, ...onB], 3);
    const killedAt = Date.now();
    await b.stop('SIGKILL');
    await onA.until(() => last(onA) === 1, 5_000);
    // Not before the ttl of b's last report (reported at most one interval before the kill).
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(TTL_MS - INTERVAL_MS);
  });
});

describe('viewers in embedded mode', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer('embedded', {
      env: { WS_VIEWERS_INTERVAL_MS: String(INTERVAL_MS) },
    });
  });
  afterAll(() => server.close());

  it('counts the watchers of the process, per event', async () => {
    const watchers = await Promise.all([1, 2, 3].map(() => Watcher.subscribe(server.url, EVENT)));
    await waitCount(watchers, 3);
    watchers[0]?.close();
    await waitCount(watchers.slice(1), 2);
    for (const watcher of watchers) watcher.close();
  });
});
