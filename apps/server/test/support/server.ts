// Starts a real Ticketmain server for a test: on the shared Redis + PostgreSQL under a fresh key
// prefix and schema ('services'), or fully in process ('embedded'), listening on a free port.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createInstance, registerApp, type AppOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { MemoryHoldStore } from '../../src/holds/memory/store.js';
import { RedisHoldStore } from '../../src/holds/redis/store.js';
import { QueueJournal } from '../../src/queue/journal.js';
import { MemoryQueueStore } from '../../src/queue/memory-store.js';
import { RedisQueueStore } from '../../src/queue/redis-store.js';
import type { QueueStore } from '../../src/queue/types.js';
import type { HoldStore } from '../../src/holds/types.js';
import { createPgDb, createPgliteDb, type Db } from '../../src/ledger/db.js';
import { SqlLedger } from '../../src/ledger/sql-ledger.js';
import { Client } from './client.js';
import { PrivateRedis } from './redis-server.js';

export type Mode = 'services' | 'embedded';
export const MODES: Mode[] = ['services', 'embedded'];

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestServer {
  url: string;
  app: FastifyInstance;
  config: Config;
  store: HoldStore;
  /** The waiting rooms of the server (the app closes it). */
  queues: QueueStore;
  /** Direct SQL on the ledger, for checking invariants behind the API's back. */
  db: Db;
  /** The Redis client of the server (services mode only). */
  redis: Redis | undefined;
  close(): Promise<void>;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Another Redis than the shared one (fault tests run their own redis-server). */
  redisUrl?: string;
  /** Sees every route the app registers. */
  onRoute?: (route: RouteOptions) => void;
  /** Wraps the ledger's database (e.g. to give its statements latency); `db` stays unwrapped. */
  wrapDb?: (db: Db) => Db;
  /**
   * Services mode: a second replica of this server, on its Redis prefix and PostgreSQL schema
   * (which the first server's close removes).
   */
  replicaOf?: TestServer;
}

/** A suite's server and an admin client of it: set before the suite's first test. */
export interface SuiteServer {
  server: TestServer;
  admin: Client;
}

/** Starts a server of `mode` before the calling suite's tests and closes it after them. */
export function serverForSuite(mode: Mode, options: StartOptions = {}): SuiteServer {
  const suite = {} as SuiteServer;
  beforeAll(async () => {
    suite.server = await startServer(mode, options);
    suite.admin = new Client(suite.server.url, ADMIN_TOKEN);
  });
  afterAll(() => suite.server?.close());
  return suite;
}

/** A suite's server on a redis-server of its own, for tests that flush, kill or restart Redis. */
export interface PrivateRedisSuite extends SuiteServer {
  redisServer: PrivateRedis;
  /** A client of the private Redis (the test's own: to flush it, count its keys). */
  redis: Redis;
}

/** Starts a private redis-server and a services-mode server on it before the suite's tests. */
export function serverOnPrivateRedis(
  options: Omit<StartOptions, 'redisUrl'> = {},
): PrivateRedisSuite {
  const suite = {} as PrivateRedisSuite;
  beforeAll(async () => {
    suite.redisServer = await PrivateRedis.start();
    suite.redis = suite.redisServer.client();
    suite.server = await startServer('services', { ...options, redisUrl: suite.redisServer.url });
    suite.admin = new Client(suite.server.url, ADMIN_TOKEN);
  });
  afterAll(async () => {
    await suite.server?.close();
    suite.redis?.disconnect();
    await suite.redisServer?.stop();
  });
  return suite;
}

export async function startServer(mode: Mode, options: StartOptions = {}): Promise<TestServer> {
  const shared = options.replicaOf?.config.mode;
  const schema =
    shared?.kind === 'services' && shared.databaseSchema !== undefined
      ? shared.databaseSchema
      : uniqueName('t');
  const env: Record<string, string> = {
    LOG_LEVEL: 'silent',
    ADMIN_TOKEN,
    // Tests fire hundreds of sessions from one address; the rate-limit tests turn this on.
    RATE_LIMITS: 'off',
    HOST: '127.0.0.1',
    PORT: '0',
    ...(mode === 'services'
      ? {
          REDIS_URL: options.redisUrl ?? TEST_REDIS_URL,
          DATABASE_URL: TEST_DATABASE_URL,
          DATABASE_SCHEMA: schema,
          REDIS_KEY_PREFIX: `${schema}:`,
          SESSION_SECRET:
            options.replicaOf?.config.sessionSecret ?? randomBytes(32).toString('hex'),
        }
      : { SESSION_SECRET: randomBytes(32).toString('hex') }),
    ...options.env,
  };
  const config = loadConfig(env);
  const parts =
    mode === 'services'
      ? await servicesParts(config, schema, options.replicaOf === undefined)
      : await embeddedParts();
  const ledger = new SqlLedger(options.wrapDb?.(parts.db) ?? parts.db);
  await ledger.migrate();
  const queueJournal = new QueueJournal(ledger.queues, env.SESSION_SECRET ?? '');
  const { store, queues } = parts.stores(queueJournal);
  const appOptions: AppOptions = {
    config,
    store,
    queues,
    queueJournal,
    ledger,
    sessionSecret: env.SESSION_SECRET ?? '',
    redis: parts.redis,
  };
  const app = createInstance(appOptions);
  if (options.onRoute !== undefined) app.addHook('onRoute', options.onRoute);
  await registerApp(app, appOptions);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    config,
    store,
    queues,
    db: parts.db,
    redis: parts.redis,
    close: async () => {
      await app.close();
      await store.close();
      await ledger.close();
      await parts.cleanup();
    },
  };
}

interface Parts {
  /** The hold and queue stores of the mode, the queues writing behind to `journal`. */
  stores(journal: QueueJournal): { store: HoldStore; queues: QueueStore };
  db: Db;
  redis: Redis | undefined;
  cleanup(): Promise<void>;
}

async function servicesParts(config: Config, schema: string, owner: boolean): Promise<Parts> {
  if (config.mode.kind !== 'services' || config.mode.redis.kind !== 'standalone') {
    throw new Error('services mode on one Redis expected');
  }
  if (owner) await withAdminClient((client) => client.query(`CREATE SCHEMA ${schema}`));
  const redis = new Redis(config.mode.redis.url, {
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
  });
  const db = createPgDb({ connectionString: config.mode.databaseUrl, schema });
  return {
    stores: (journal) => ({
      store: new RedisHoldStore({ redis, prefix: config.redisKeyPrefix }),
      queues: new RedisQueueStore(redis, config.redisKeyPrefix, journal),
    }),
    db,
    redis,
    cleanup: async () => {
      if (owner) await deleteKeys(redis, `${config.redisKeyPrefix}*`);
      redis.disconnect();
      if (owner) await withAdminClient((client) => client.query(`DROP SCHEMA ${schema} CASCADE`));
    },
  };
}

async function embeddedParts(): Promise<Parts> {
  return {
    stores: (journal) => {
      const queues = new MemoryQueueStore(Date.now, journal);
      return { store: new MemoryHoldStore({ admission: queues }), queues };
    },
    db: await createPgliteDb({}),
    redis: undefined,
    cleanup: async () => {},
  };
}

async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Removes a test's keys from the shared Redis (never a FLUSH: other runs share it). */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  if (redis.status !== 'ready') return;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}
