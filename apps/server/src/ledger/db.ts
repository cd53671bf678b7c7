// A minimal SQL port that both engines fit: PostgreSQL through a pg pool, and PGlite
// (Postgres compiled to WASM) for embedded mode. Both run the same SQL.
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

export interface Db {
  /**
   * Runs one statement. Without params (or with none), as in pg's simple protocol, the text may
   * hold several statements and the rows are those of the last one. Rows are unchecked shapes.
   */
  query<R = unknown>(sql: string, params?: unknown[], options?: QueryOptions): Promise<R[]>;
  /** Runs fn in a transaction: committed when fn resolves, rolled back when it throws. Nested
   *  calls on a transaction's Db become savepoints. Inside fn use `tx`, never the outer Db. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface PgDbOptions {
  connectionString: string;
  /** Schema put first on every connection's search_path (lower-case identifier). */
  schema?: string;
  poolSize?: number;
  statementTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
  /**
   * Every transaction read-only (default_transaction_read_only): the pool of a read replica,
   * where a write sent by mistake must fail even when the URL names the primary.
   */
  readOnly?: boolean;
  /** Errors of idle connections (e.g. Postgres restarted); the pool already dropped the client. */
  onError?: (err: Error) => void;
}

export interface QueryOptions {
  /**
   * Prepares the statement once per connection under this name (PostgreSQL), so a hot statement
   * is sent and planned once instead of on every call. Ignored by PGlite and in transactions.
   */
  prepareAs?: string;
}

type RunSql = (sql: string, params?: unknown[]) => Promise<unknown[]>;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** A full pool then fails the request (503) rather than queueing it without bound. */
const CONNECT_TIMEOUT_MS = 10_000;

export function createPgDb(options: PgDbOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // pg sends these as startup parameters, so every connection of the pool has them.
    statement_timeout: options.statementTimeoutMs,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs,
    options: startupOptions(options.schema, options.readOnly ?? false),
  });
  // Without a listener, an idle client's error (a dropped connection) would crash the process.
  pool.on('error', (err) => options.onError?.(err));
  // A connection killed while checked out but between queries (pg_terminate_backend, a failover)
  // emits 'error' with no pool listener attached: every client keeps one of its own. The dead
  // client then fails its next query, which answers 503 and is released as broken.
  pool.on('connect', (client) => client.on('error', (err) => options.onError?.(err)));
  const run: RunSql = async (sql, params) => (await pool.query(sql, params)).rows;
  return {
    query: async <R>(sql: string, params?: unknown[], options?: QueryOptions) => {
      if (options?.prepareAs === undefined) return (await run(sql, params)) as R[];
      const prepared = { name: options.prepareAs, text: sql, values: params };
      return (await pool.query(prepared)).rows as R[];
    },
    transaction: (fn) => pgTransaction(pool, fn),
    close: once(() => pool.end()),
  };
}

function startupOptions(schema: string | undefined, readOnly: boolean): string | undefined {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid schema name: ${schema}`);
  }
  const settings = [
    ...(schema === undefined ? [] : [`-c search_path=${schema}`]),
    ...(readOnly ? ['-c default_transaction_read_only=on'] : []),
  ];
  return settings.length > 0 ? settings.join(' ') : undefined;
}

async function pgTransaction<T>(pool: pg.Pool, fn: (tx: Db) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out client has no pool listener: keep a dropped connection from crashing the process.
  const onError = (err: Error): void => {
    broken = err;
  };
  client.on('error', onError);
  const run: RunSql = async (sql, params) => (await client.query(sql, params)).rows;
  try {
    await client.query('BEGIN');
    const result = await fn(transactionScope(run, 0));
    await commit(client);
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackErr: Error) => {
      broken = rollbackErr;
    });
    throw err;
  } finally {
    client.off('error', onError);
    // Passing an error makes the pool destroy the connection instead of reusing it.
    client.release(broken);
  }
}

/** pg reports COMMIT of an aborted transaction as a plain ROLLBACK; make that an error. */
async function commit(client: pg.PoolClient): Promise<void> {
  const result = await client.query('COMMIT');
  if (result.command === 'ROLLBACK') throw new Error('transaction aborted: COMMIT rolled back');
}

/**
 * PGlite is a single connection. In 0.5 (checked in 0.5.16) its transaction() and top-level
 * query()/exec() take one mutex, so concurrent callers queue instead of running inside another
 * caller's transaction; a query on the outer Db inside fn would wait for itself (deadlock).
 */
export async function createPgliteDb(options: { dataDir?: string }): Promise<Db> {
  const pglite = await PGlite.create({ dataDir: options.dataDir });
  const run: RunSql = (sql, params) => pgliteRun(pglite, sql, params);
  return {
    query: async <R>(sql: string, params?: unknown[]) => (await run(sql, params)) as R[],
    transaction: (fn) =>
      pglite.transaction((tx) =>
        fn(transactionScope((sql, params) => pgliteRun(tx, sql, params), 0)),
      ),
    close: once(() => pglite.close()),
  };
}

interface PgliteQueryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  exec(sql: string): Promise<Array<{ rows: unknown[] }>>;
}

/** PGlite's query() is the extended protocol (one statement); exec() is the simple one. */
async function pgliteRun(target: PgliteQueryable, sql: string, params?: unknown[]) {
  if (params !== undefined && params.length > 0) return (await target.query(sql, params)).rows;
  const results = await target.exec(sql);
  return results.at(-1)?.rows ?? [];
}

/** The Db seen inside a transaction: same connection; nested transactions are savepoints. */
function transactionScope(run: RunSql, depth: number): Db {
  return {
    query: async <R>(sql: string, params?: unknown[]) => (await run(sql, params)) as R[],
    transaction: (fn) => savepoint(run, depth + 1, fn),
    close: () => Promise.reject(new Error('close the Db, not one of its transactions')),
  };
}

async function savepoint<T>(run: RunSql, depth: number, fn: (tx: Db) => Promise<T>): Promise<T> {
  const name = `sp_${depth}`;
  await run(`SAVEPOINT ${name}`);
  try {
    const result = await fn(transactionScope(run, depth));
    await run(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (err) {
    await run(`ROLLBACK TO SAVEPOINT ${name}`);
    throw err;
  }
}

/** Closing twice is harmless (pg's pool.end() throws on a second call). */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}
