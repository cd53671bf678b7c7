// The bench's own connections to Redis and PostgreSQL: the schema and key prefix it gives the
// server, created before the run and removed after it (never a FLUSH), and Redis's CPU time.
import { Redis } from 'ioredis';
import pg from 'pg';

export interface StoresOptions {
  redisUrl: string;
  databaseUrl: string;
  schema: string;
  keyPrefix: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const KEY_PREFIX = /^[A-Za-z0-9_.:-]+$/;
/** Bounds the key clean-up: SCAN rounds of up to 1,000 keys each. */
const MAX_SCAN_ROUNDS = 10_000;

export class Stores {
  readonly redis: Redis;
  readonly pg: pg.Pool;

  constructor(readonly options: StoresOptions) {
    if (!SCHEMA_NAME.test(options.schema)) throw new Error(`bad schema name ${options.schema}`);
    // The prefix becomes a SCAN pattern: no glob characters, and never empty (that is everything).
    if (!KEY_PREFIX.test(options.keyPrefix)) throw new Error(`bad key prefix ${options.keyPrefix}`);
    this.redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
    this.pg = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
    this.pg.on('error', () => undefined);
  }

  get schema(): string {
    return this.options.schema;
  }

  get keyPrefix(): string {
    return this.options.keyPrefix;
  }

  async open(): Promise<void> {
    await this.redis.connect();
    await this.redis.ping();
    await this.pg.query('SELECT 1');
  }

  async createSchema(): Promise<void> {
    await this.pg.query(`CREATE SCHEMA "${this.schema}"`);
  }

  async dropSchema(): Promise<void> {
    await this.pg.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
  }

  /** Deletes every key under the bench's prefix; returns how many. */
  async deleteKeys(): Promise<number> {
    let cursor = '0';
    let deleted = 0;
    for (let round = 0; round < MAX_SCAN_ROUNDS; round++) {
      const [next, keys] = await this.redis.scan(
        cursor,
        'MATCH',
        `${this.keyPrefix}*`,
        'COUNT',
        1000,
      );
      if (keys.length > 0) deleted += await this.redis.unlink(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
    return deleted;
  }

  /**
   * Redis's user + system CPU time in ms (INFO cpu). Redis is shared with the tests, so a
   * difference over a scenario includes their load too.
   */
  async redisCpuMs(): Promise<number> {
    const info = await this.redis.info('cpu');
    const field = (name: string): number =>
      Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
    return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
  }

  async setting(name: string): Promise<string | undefined> {
    const { rows } = await this.pg.query<{ setting: string }>(
      'SELECT setting FROM pg_settings WHERE name = $1',
      [name],
    );
    return rows[0]?.setting;
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    await this.pg.end();
  }
}
