// The composition root: picks the hold store and the ledger for the configured mode and opens
// them (Redis + PostgreSQL, or the in-process store + PGlite in embedded mode).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config, Mode } from './config.js';
import { MemoryHoldStore } from './holds/memory/store.js';
import { connectRedis, type RedisClient } from './holds/redis/connect.js';
import { RedisHoldStore } from './holds/redis/store.js';
import type { HoldStore } from './holds/types.js';
import { createPgDb, createPgliteDb } from './ledger/db.js';
import { SqlLedger } from './ledger/sql-ledger.js';
import type { Ledger } from './ledger/types.js';
import { QueueJournal } from './queue/journal.js';
import { MemoryQueueStore } from './queue/memory-store.js';
import { RedisQueueStore } from './queue/redis-store.js';
import type { QueueStore } from './queue/types.js';

export interface Runtime {
  store: HoldStore;
  /** The waiting rooms; the hold store reads their admission records (the gate). */
  queues: QueueStore;
  queueJournal: QueueJournal;
  ledger: Ledger;
  sessionSecret: string;
  /** The Redis client (one server or a Cluster) for the rate limiter; none in embedded mode. */
  redis?: RedisClient;
  close(): Promise<void>;
}

export async function createRuntime(config: Config): Promise<Runtime> {
  return config.mode.kind === 'embedded'
    ? embedded(config, config.mode.dataDir)
    : services(config, config.mode);
}

async function embedded(config: Config, dataDir: string): Promise<Runtime> {
  await mkdir(dataDir, { recursive: true });
  const ledger = new SqlLedger(await createPgliteDb({ dataDir: join(dataDir, 'ledger') }));
  await ledger.migrate();
  const sessionSecret = config.sessionSecret ?? (await embeddedSecret(dataDir));
  const queueJournal = new QueueJournal(ledger.queues, sessionSecret);
  // The hold store reads the queue store's admission records in the hold's own step.
  const queues = new MemoryQueueStore(Date.now, queueJournal);
  const store = new MemoryHoldStore({ admission: queues });
  return {
    store,
    queues,
    queueJournal,
    ledger,
    sessionSecret,
    close: async () => {
      await store.close();
      await ledger.close();
    },
  };
}

/** Embedded mode keeps its own secret so sessions survive a restart. */
async function embeddedSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, 'session-secret');
  try {
    const secret = (await readFile(file, 'utf8')).trim();
    if (secret.length >= 32) return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

type ServicesMode = Extract<Mode, { kind: 'services' }>;

async function services(config: Config, mode: ServicesMode): Promise<Runtime> {
  const redis = await connectRedis(mode.redis);
  const pgDb = (connectionString: string, readOnly: boolean) =>
    createPgDb({
      connectionString,
      schema: mode.databaseSchema,
      poolSize: config.pg.poolSize,
      statementTimeoutMs: config.pg.statementTimeoutMs,
      idleInTransactionTimeoutMs: config.pg.statementTimeoutMs * 2,
      readOnly,
    });
  const ledger = new SqlLedger(
    pgDb(mode.databaseUrl, false),
    // Read-only, so that a write routed to the replica's pool by mistake fails loudly.
    mode.databaseReadUrl === undefined ? undefined : pgDb(mode.databaseReadUrl, true),
  );
  await ledger.migrate();
  const store = new RedisHoldStore({ redis, prefix: config.redisKeyPrefix });
  const sessionSecret = config.sessionSecret ?? '';
  const queueJournal = new QueueJournal(ledger.queues, sessionSecret);
  return {
    store,
    queues: new RedisQueueStore(redis, config.redisKeyPrefix, queueJournal),
    queueJournal,
    ledger,
    sessionSecret,
    redis,
    close: async () => {
      await store.close();
      redis.disconnect();
      await ledger.close();
    },
  };
}
