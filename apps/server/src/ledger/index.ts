// What other packages (the bench) may use of the ledger: its SQL port over a pg pool and the
// server's own migrations, so a scratch schema is built exactly as the server builds its own.
export { createPgDb, type Db, type PgDbOptions } from './db.js';
export { migrate } from './migrate.js';
