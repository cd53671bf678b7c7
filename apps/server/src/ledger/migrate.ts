// Runs the versioned SQL migrations of ./migrations with umzug, recorded in `schema_migrations`.
// The build copies the .sql files next to the compiled module, so the same URL works in both.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Umzug, type RunnableMigration, type UmzugStorage } from 'umzug';
import type { Db } from './db.js';
import { parseTextColumn } from './rows.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

// Replicas starting together queue here; the lock is released with the transaction. Keyed by
// schema so that separate schemas (tests) do not wait for each other.
const LOCK_SQL = `SELECT pg_advisory_xact_lock(
  hashtextextended(concat('ticketmain.migrate.', current_schema()), 0))`;

const CREATE_STORAGE_SQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  name text PRIMARY KEY,
  executed_at timestamptz NOT NULL DEFAULT now())`;

const storage: UmzugStorage<Db> = {
  async executed({ context }) {
    return parseTextColumn(await context.query('SELECT name FROM schema_migrations'), 'name');
  },
  async logMigration({ name, context }) {
    await context.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
  },
  async unlogMigration({ name, context }) {
    await context.query('DELETE FROM schema_migrations WHERE name = $1', [name]);
  },
};

/**
 * Applies the pending migrations and returns their names. The whole run is one transaction
 * under an advisory lock: each migration commits together with its `schema_migrations` row,
 * and a second replica sees the finished run once the lock is its own.
 */
export async function migrate(db: Db): Promise<string[]> {
  const migrations = await loadMigrations();
  return db.transaction(async (tx) => {
    await tx.query(LOCK_SQL);
    await tx.query(CREATE_STORAGE_SQL);
    const umzug = new Umzug<Db>({ migrations, context: tx, storage, logger: undefined });
    const applied = await umzug.up();
    return applied.map((migration) => migration.name);
  });
}

/** `0001_init.sql` becomes migration `0001_init`; the file names give the order. */
async function loadMigrations(): Promise<RunnableMigration<Db>[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((file) => file.endsWith('.sql')).sort();
  return files.map((file) => {
    const url = new URL(file, MIGRATIONS_DIR);
    return {
      name: file.slice(0, -'.sql'.length),
      path: fileURLToPath(url),
      // Without params the whole file goes as one simple-protocol query, several statements.
      up: async ({ context }) => context.query(await readFile(url, 'utf8')),
    };
  });
}
