// The durable copy of the waiting rooms, behind the fast path (Redis or the in-process store):
// settings and the draw written through, joins and admissions written behind in group-committed
// batches (ledger/group-commit.ts) off the join's path, and read back when a store lost a queue.
// The seed is sealed under SESSION_SECRET: a copy of the database does not reveal the draw early.
import { GroupCommit } from '../ledger/group-commit.js';
import type { EntryRow, QueueChange, QueueLedger, QueueRow } from '../ledger/queue-sql.js';
import { mergeChanges } from '../ledger/queue-sql.js';
import { seal, unseal, type SealPurpose } from '../tickets/sealing.js';
import type {
  EntryRecord,
  QueueLog,
  QueueSettings,
  QueueState,
  StoredEntry,
  StoredQueue,
} from './types.js';

const QUEUE_SEED: SealPurpose = { info: 'ticketmain queue seed', label: 'queue seed' };

export interface JournalOptions {
  /** Most changes in one batch (one transaction). */
  maxBatch: number;
  /** A failed batch is tried again after this long (PostgreSQL down: nothing is dropped). */
  retryMs: number;
  /** How long the set of queued events is trusted before it is read again. */
  queuedTtlMs: number;
  onError?: (error: unknown) => void;
}

const WRITTEN = { status: 'fulfilled', value: undefined } as const;

/** SQLSTATE class 22 (data) or 23 (integrity): the same write would be refused again. */
function refusedForItsContent(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

const DEFAULTS: JournalOptions = { maxBatch: 2_000, retryMs: 500, queuedTtlMs: 1_000 };

export class QueueJournal implements QueueLog {
  private readonly batches: GroupCommit<QueueChange, undefined>;
  private readonly options: JournalOptions;
  /** Changes submitted and not yet written (a retry keeps counting). */
  private pending = 0;
  private readonly drained = new Set<() => void>();
  private readonly retries = new Set<NodeJS.Timeout>();
  private queued: { ids: Set<string>; at: number } | undefined;
  private reading: Promise<Set<string>> | undefined;
  private closed = false;

  constructor(
    private readonly ledger: QueueLedger,
    private readonly secret: string,
    options: Partial<JournalOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.batches = new GroupCommit(
      async (changes) => {
        try {
          await this.ledger.writeChanges(mergeChanges(changes));
        } catch (error) {
          // Once per batch, not per change: an outage fails thousands of them at once.
          this.options.onError?.(error);
          if (!refusedForItsContent(error)) throw error;
          return Promise.all(changes.map((change) => this.writeAlone(change)));
        }
        return changes.map(() => WRITTEN);
      },
      { maxBatch: this.options.maxBatch, maxInFlight: 1 },
    );
  }

  /** Failed writes are told here (the app's log); they are tried again either way. */
  reportErrorsTo(onError: (error: unknown) => void): void {
    this.options.onError = onError;
  }

  async configured(
    eventId: string,
    s: QueueSettings,
    seed: string,
    commitment: string,
  ): Promise<void> {
    await this.ledger.upsertQueue({
      eventId,
      ...s,
      sealedSeed: seal(this.secret, eventId, seed, QUEUE_SEED),
      seedCommitment: commitment,
    });
    this.queued?.ids.add(eventId);
  }

  /** A write that may race joins' write-behind of the queue before: a demo's reset, not a sale's. */
  async rearmed(
    eventId: string,
    s: QueueSettings,
    seed: string,
    commitment: string,
  ): Promise<void> {
    await this.ledger.replaceQueue({
      eventId,
      ...s,
      sealedSeed: seal(this.secret, eventId, seed, QUEUE_SEED),
      seedCommitment: commitment,
    });
    this.queued?.ids.add(eventId);
  }

  async patched(eventId: string, state: QueueState): Promise<void> {
    await this.ledger.patchQueue(eventId, state.admitPerMinute, state.paused);
  }

  /**
   * The draw happens once, in the store, before this is called: a write that fails is not the
   * caller's to repeat (the next tick finds the queue drawn), so it is tried again here until it
   * lands, like the write-behind.
   */
  async drawn(eventId: string, order: string[], prequeueCount: number): Promise<void> {
    const write = () => this.ledger.recordDraw(eventId, order, prequeueCount, order.length);
    try {
      await write();
    } catch (error) {
      this.options.onError?.(error);
      this.pending++;
      this.retry(write);
    }
  }

  joined(
    eventId: string,
    entry: { sessionId: string; ticketId: string; arrival: number; prequeue: boolean },
    record: EntryRecord,
  ): void {
    const row: EntryRow = { ...entry, number: record.number, admittedUntil: record.admittedUntil };
    this.write({
      eventId,
      entries: [row],
      arrivals: entry.arrival,
      ...(record.number === null ? {} : { lastNumber: record.number }),
    });
  }

  admitted(
    eventId: string,
    entries: { sessionId: string; ticketId: string; number: number }[],
    admittedUntil: number,
    servedThrough: number,
  ): void {
    const rows = entries.map((e) => ({ ...e, arrival: null, prequeue: null, admittedUntil }));
    this.write({ eventId, entries: rows, servedThrough });
  }

  soldOut(eventId: string, soldOut: boolean): void {
    this.write({ eventId, entries: [], soldOut });
  }

  /**
   * True when the event has a durable queue; the answer may be up to `queuedTtlMs` old, or older
   * while PostgreSQL cannot be read (then the last set read answers, if there is one).
   */
  async isQueued(eventId: string): Promise<boolean> {
    if (this.queued?.ids.has(eventId) === true) return true;
    if (this.queued !== undefined && Date.now() - this.queued.at < this.options.queuedTtlMs) {
      return false;
    }
    this.reading ??= this.ledger
      .queuedEventIds()
      .then(
        (ids) => {
          const set = new Set(ids);
          this.queued = { ids: set, at: Date.now() };
          return set;
        },
        (error: unknown) => {
          if (this.queued === undefined) throw error;
          return this.queued.ids;
        },
      )
      .finally(() => {
        this.reading = undefined;
      });
    return (await this.reading).has(eventId);
  }

  /** The queue as stored, seed unsealed; null when the event has none. */
  async load(eventId: string): Promise<StoredQueue | null> {
    const found = await this.ledger.load(eventId);
    if (found === null) return null;
    const seed = unseal(this.secret, eventId, found.queue.sealedSeed, QUEUE_SEED);
    return storedQueue(found.queue, found.entries, seed);
  }

  /** Resolves once every change submitted so far is written. */
  flush(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.add(resolve));
  }

  /** Waits for the write-behind up to `timeoutMs` (PostgreSQL may be gone), then stops retrying. */
  async close(timeoutMs = 5_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([this.flush(), timeout]);
    clearTimeout(timer);
    this.closed = true;
    for (const retry of this.retries) clearTimeout(retry);
  }

  /**
   * One change of a batch PostgreSQL refused for its content: tried on its own, and dropped if
   * refused again (it would fail every retry and hold back the others).
   */
  private async writeAlone(change: QueueChange): Promise<PromiseSettledResult<undefined>> {
    try {
      await this.ledger.writeChanges(mergeChanges([change]));
      return WRITTEN;
    } catch (error) {
      this.options.onError?.(error);
      return refusedForItsContent(error) ? WRITTEN : { status: 'rejected', reason: error };
    }
  }

  private write(change: QueueChange): void {
    this.pending++;
    this.submit(change);
  }

  private submit(change: QueueChange): void {
    this.batches.submit(change).then(
      () => this.done(),
      () => this.later(() => this.submit(change)),
    );
  }

  /** A write-through that failed, tried until it lands (counted in `pending` meanwhile). */
  private retry(write: () => Promise<void>): void {
    this.later(() => {
      write().then(
        () => this.done(),
        (error: unknown) => {
          this.options.onError?.(error);
          this.retry(write);
        },
      );
    });
  }

  private later(again: () => void): void {
    if (this.closed) return this.done();
    const timer = setTimeout(() => {
      this.retries.delete(timer);
      again();
    }, this.options.retryMs);
    this.retries.add(timer);
  }

  private done(): void {
    this.pending--;
    if (this.pending > 0) return;
    for (const resolve of this.drained) resolve();
    this.drained.clear();
  }
}

/**
 * The rows as a store writes them back. The draw's order is the truth of the numbers it gave
 * (an entry whose row was lost keeps its number, without a session); an entry left without a
 * number in a drawn queue cannot be placed and is dropped (its session may join again).
 */
export function storedQueue(queue: QueueRow, rows: EntryRow[], seed: string): StoredQueue {
  const drawnNumber = new Map(queue.drawnOrder.map((ticketId, i) => [ticketId, i + 1]));
  const drawnPre = (ticketId: string) => (drawnNumber.get(ticketId) ?? 0) - 1 < queue.prequeueCount;
  const entries: StoredEntry[] = [];
  const taken = new Set<number>();
  const known = new Set<string>();
  for (const row of rows) {
    const number = drawnNumber.get(row.ticketId) ?? row.number;
    if (queue.drawn && number === null) continue;
    if (number !== null && taken.has(number)) continue;
    if (number !== null) taken.add(number);
    known.add(row.ticketId);
    entries.push({
      sessionId: row.sessionId,
      ticketId: row.ticketId,
      arrival: row.arrival ?? 0,
      prequeue: drawnNumber.has(row.ticketId) ? drawnPre(row.ticketId) : (row.prequeue ?? false),
      number,
      admittedUntil: row.admittedUntil,
    });
  }
  queue.drawnOrder.forEach((ticketId, i) => {
    if (known.has(ticketId) || taken.has(i + 1)) return;
    entries.push({
      sessionId: null,
      ticketId,
      arrival: 0,
      prequeue: i < queue.prequeueCount,
      number: i + 1,
      admittedUntil: null,
    });
  });
  // A loop, not Math.max(...): a line may be longer than the engine's argument limit.
  let arrivals = queue.arrivals;
  let lastNumber = queue.lastNumber;
  for (const e of entries) {
    arrivals = Math.max(arrivals, e.arrival);
    lastNumber = Math.max(lastNumber, e.number ?? 0);
  }
  return {
    seed,
    arrivals,
    entries,
    state: {
      opensAt: queue.opensAt,
      salesStartAt: queue.salesStartAt,
      admitPerMinute: queue.admitPerMinute,
      admissionSeconds: queue.admissionSeconds,
      powBits: queue.powBits,
      paused: queue.paused,
      seedCommitment: queue.seedCommitment,
      drawn: queue.drawn,
      servedThrough: queue.servedThrough,
      lastNumber,
      soldOut: queue.soldOut,
    },
  };
}
