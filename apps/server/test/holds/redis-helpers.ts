// Test plumbing for the Redis hold store: a fresh key prefix per test on the shared Redis,
// batch collectors, and private redis-server processes for tests that must flush.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { RedisHoldStore } from '../../src/holds/redis/store.js';
import type { ChangeBatch, SeatChangeRecord } from '../../src/holds/types.js';

export const SHARED_REDIS_PORT = Number(process.env.REDIS_PORT ?? 6379);

export function newClient(port = SHARED_REDIS_PORT): Redis {
  return new Redis({ host: '127.0.0.1', port, enableAutoPipelining: true });
}

/** A store on its own random prefix; `cleanup` deletes its keys and closes everything. */
export function newStore(port = SHARED_REDIS_PORT, options: { chunkSize?: number } = {}) {
  const redis = newClient(port);
  const prefix = `test:holds:${randomUUID()}:`;
  const store = new RedisHoldStore({ redis, prefix, ...options });
  const cleanup = async () => {
    await store.close();
    // SCAN, not KEYS: the shared Redis may be busy with other people's tests.
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 })) {
      if (Array.isArray(keys) && keys.length > 0) await redis.del(...keys.map(String));
    }
    await redis.quit();
  };
  return { redis, prefix, store, cleanup };
}

/** Collects the batches published for one event. */
export async function collect(store: RedisHoldStore, eventId: string) {
  const batches: ChangeBatch[] = [];
  const unsubscribe = await store.subscribe(eventId, (batch) => batches.push(batch));
  const changes = (): SeatChangeRecord[] =>
    batches.flatMap((b) => (b.kind === 'changes' ? b.changes : []));
  return { batches, changes, unsubscribe };
}

/** Waits until `check` holds; pub/sub delivery is asynchronous. */
export async function eventually(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/** Gives pending messages time to arrive, for asserting that nothing (more) was published. */
export async function settle(store: RedisHoldStore): Promise<void> {
  await store.ping();
  await sleep(50);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function pingOnce(port: number): Promise<boolean> {
  const probe = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

async function waitForPing(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await pingOnce(port)) return;
    await sleep(50);
  }
  throw new Error(`redis-server on port ${port} did not start`);
}

/** A throwaway redis-server that tests may flush; `stop` kills it. */
export async function startPrivateRedis(): Promise<{ port: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child: ChildProcess = spawn('redis-server', args, { stdio: 'ignore' });
  await waitForPing(port);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  return { port, stop };
}
