// Server replicas as real child processes (the multi-replica and fault tests), run from the
// TypeScript sources with tsx so no build is needed.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';
import { freePort } from './redis-server.js';
import {
  ADMIN_TOKEN,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  deleteKeys,
  uniqueName,
} from './server.js';

export const SERVER_ENTRY = fileURLToPath(new URL('../../src/server.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface Replica {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the process wrote, for the assertion messages. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * What several replicas share: one Redis key prefix and one PostgreSQL schema. With
 * `redisClusterNodes` the replicas use that Redis Cluster (private to the test) instead.
 */
export class SharedBackends {
  readonly schema = uniqueName('r');
  readonly prefix = `${this.schema}:`;
  readonly secret = randomBytes(32).toString('hex');

  constructor(
    readonly redisUrl: string = TEST_REDIS_URL,
    readonly redisClusterNodes?: string,
  ) {}

  /** The replicas' connections carry the schema as application_name: a test finds them by it. */
  get databaseUrl(): string {
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('application_name', this.schema);
    return url.toString();
  }

  async create(): Promise<void> {
    await this.sql(`CREATE SCHEMA ${this.schema}`);
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(this.redisClusterNodes === undefined
        ? { REDIS_URL: this.redisUrl }
        : { REDIS_CLUSTER_NODES: this.redisClusterNodes }),
      DATABASE_URL: this.databaseUrl,
      DATABASE_SCHEMA: this.schema,
      REDIS_KEY_PREFIX: this.prefix,
      SESSION_SECRET: this.secret,
      ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      RATE_LIMITS: 'off',
      ...extra,
    };
  }

  async sql<R = unknown>(text: string, params: unknown[] = []): Promise<R[]> {
    const client = new pg.Client({
      connectionString: TEST_DATABASE_URL,
      options: `-c search_path=${this.schema}`,
    });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as R[];
    } finally {
      await client.end();
    }
  }

  async drop(): Promise<void> {
    // A private cluster is torn down whole by its test; only the shared Redis needs cleaning.
    if (this.redisClusterNodes === undefined) await this.deleteRedisKeys();
    await this.sql(`DROP SCHEMA ${this.schema} CASCADE`);
  }

  private async deleteRedisKeys(): Promise<void> {
    const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: 1 });
    redis.on('error', () => {});
    try {
      await deleteKeys(redis, `${this.prefix}*`);
    } finally {
      redis.disconnect();
    }
  }
}

export async function startReplica(
  env: Record<string, string>,
  options: { nodeArgs?: string[]; port?: number } = {},
): Promise<Replica> {
  const port = options.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [
      '--conditions=ticketmain-source',
      '--import',
      'tsx',
      ...(options.nodeArgs ?? []),
      SERVER_ENTRY,
    ],
    { cwd: REPO_ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: 'pipe' },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const replica: Replica = {
    url,
    port,
    process: child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  await waitReady(replica, exited);
  return replica;
}

async function waitReady(replica: Replica, exited: Promise<number | null>): Promise<void> {
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !done) {
    try {
      if ((await fetch(`${replica.url}/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await replica.stop('SIGKILL');
  throw new Error(`replica on ${replica.port} did not become ready:\n${replica.output()}`);
}
