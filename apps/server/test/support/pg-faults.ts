// A lock that stops the server's order writes at a known point, for the fault tests: they kill
// the backends caught waiting on it, or act (SIGTERM, a Redis outage) while orders are in flight.
import pg from 'pg';
import { TEST_DATABASE_URL } from './server.js';
import { until } from './wait.js';

/** Both order statements of ledger/order-writes.ts (one order, or a batch) insert this way. */
const ORDER_WRITE = '%INSERT INTO orders%';

/**
 * Holds FOR UPDATE on an event's row. Every order statement checks its foreign key to that row
 * with FOR KEY SHARE at the end of the statement, so it waits there with its order and ticket
 * rows already inserted, uncommitted: a backend terminated there dies in the middle of the write.
 * Plain reads (an order looked up by its key) do not wait.
 */
export class OrderBlocker {
  /** Backends terminated while their order statement waited on this lock. */
  terminated = 0;

  private constructor(
    private readonly locker: pg.Client,
    /** Outside the locker's transaction, which would see one snapshot of pg_stat_activity. */
    private readonly observer: pg.Client,
    private readonly lockerPid: number,
    private readonly applicationName: string,
  ) {}

  /** @param applicationName the server's connections' application_name */
  static async start(
    schema: string,
    eventId: string,
    applicationName: string,
  ): Promise<OrderBlocker> {
    const locker = connect(schema);
    const observer = connect(schema);
    try {
      await Promise.all([locker.connect(), observer.connect()]);
      await locker.query('BEGIN');
      const locked = await locker.query('SELECT id FROM events WHERE id = $1 FOR UPDATE', [
        eventId,
      ]);
      if (locked.rowCount !== 1) throw new Error(`no event ${eventId} to lock`);
      const self = await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      return new OrderBlocker(locker, observer, self.rows[0]!.pid, applicationName);
    } catch (error) {
      await Promise.all([locker.end(), observer.end()]);
      throw error;
    }
  }

  /**
   * The server's backends whose order statement waits on this lock now, its rows inserted (a
   * transaction id is assigned at the first row written).
   */
  async waiting(): Promise<number[]> {
    const rows = await this.observer.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
        WHERE application_name = $1 AND state = 'active' AND wait_event_type = 'Lock'
          AND query LIKE $2 AND $3 = ANY (pg_blocking_pids(pid)) AND backend_xid IS NOT NULL
        ORDER BY backend_start`,
      [this.applicationName, ORDER_WRITE, this.lockerPid],
    );
    return rows.rows.map((row) => row.pid);
  }

  /** Waits until an order statement waits on the lock; answers its backend's pid. */
  async nextWaiting(): Promise<number> {
    const [pid] = await until('an order statement waiting on the lock', async () => {
      const pids = await this.waiting();
      return pids.length > 0 ? pids : undefined;
    });
    return pid!;
  }

  /** Waits until an order statement waits on the lock, then terminates its backend. */
  async terminateNextWaiting(): Promise<void> {
    const pid = await this.nextWaiting();
    // With a timeout, pg_terminate_backend returns once the backend has exited.
    const killed = await this.observer.query<{ ok: boolean }>(
      'SELECT pg_terminate_backend($1, 10000) AS ok',
      [pid],
    );
    if (killed.rows[0]?.ok !== true) throw new Error(`backend ${pid} was not terminated`);
    this.terminated++;
  }

  /** Ends the lock: the waiting order statements go on and commit. */
  async release(): Promise<void> {
    try {
      await this.locker.query('COMMIT');
    } finally {
      await Promise.all([this.locker.end(), this.observer.end()]);
    }
  }
}

function connect(schema: string): pg.Client {
  return new pg.Client({
    connectionString: TEST_DATABASE_URL,
    options: `-c search_path=${schema}`,
  });
}
