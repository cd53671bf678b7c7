// The queue-store contract: an event's waiting room (settings, entries, the draw, admission).
// Two implementations: Redis (Lua scripts under the event's hash tag) and in process (embedded).
// queue/README.md says what each operation does; test/queue/contract.ts holds both to it.

export interface QueueSettings {
  /** Epoch ms. Joins before it are refused. */
  opensAt: number;
  /** Epoch ms. Joins before it form the pre-queue, drawn at this time. */
  salesStartAt: number;
  admitPerMinute: number;
  admissionSeconds: number;
  powBits: number;
}

export interface QueueState extends QueueSettings {
  paused: boolean;
  seedCommitment: string;
  drawn: boolean;
  /** Every number up to it has been admitted. */
  servedThrough: number;
  /** The highest number given so far (0 before the draw). */
  lastNumber: number;
  /** The last tick said the event is sold out: waiting entries are closed. */
  soldOut: boolean;
  /** Entries so far (every session that joined, numbered or in the pre-queue). */
  joined: number;
}

/** One session's entry as stored; its status is worked out by entryView (queue/entry.ts). */
export interface EntryRecord {
  ticketId: string;
  /** Null in the pre-queue, before the draw. */
  number: number | null;
  /** Epoch ms; null until the entry's number is admitted. */
  admittedUntil: number | null;
}

/** How many joins one session may make of one queue in any window (a sliding window). */
export interface JoinLimit {
  max: number;
  windowMs: number;
}

export type JoinOutcome =
  | { ok: true; created: boolean; entry: EntryRecord; queue: QueueState; now: number }
  | { ok: false; reason: 'QUEUE_NOT_FOUND' }
  | { ok: false; reason: 'QUEUE_NOT_OPEN'; opensAt: number }
  | { ok: false; reason: 'PROOF_REQUIRED'; powBits: number }
  /** Past the session's join limit: nothing was written; the window has room in `retryAfterMs`. */
  | { ok: false; reason: 'RATE_LIMITED'; retryAfterMs: number };

export type EntryOutcome =
  | { ok: true; entry: EntryRecord; queue: QueueState; now: number }
  | { ok: false; reason: 'QUEUE_NOT_FOUND' | 'QUEUE_NOT_JOINED' };

export type ConfigureOutcome =
  { ok: true; queue: QueueState } | { ok: false; reason: 'QUEUE_STARTED' };

export type QueueOutcome =
  { ok: true; queue: QueueState } | { ok: false; reason: 'QUEUE_NOT_FOUND' };

export type AuditOutcome =
  | {
      ok: true;
      seed: string;
      seedCommitment: string;
      prequeue: { ticketId: string; number: number }[];
    }
  | { ok: false; reason: 'QUEUE_NOT_FOUND' | 'QUEUE_NOT_DRAWN' };

/** What the caller knows of the event's inventory when it ticks. */
export interface Inventory {
  /** Some seat or GA place is AVAILABLE now. */
  available: boolean;
  /** Every seat or place is SOLD. */
  soldOut: boolean;
}

export type TickOutcome =
  /** `admitted`: numbers admitted by this tick. `drew`: this call made the draw. */
  | { ok: true; admitted: number; drew: boolean; servedThrough: number }
  | { ok: false; reason: 'QUEUE_NOT_FOUND' };

export interface QueuePatch {
  admitPerMinute?: number;
  paused?: boolean;
}

/** One entry of a stored queue (queue/journal.ts), as a restore writes it back. */
export interface StoredEntry {
  /** Null: the draw numbered the ticket but its session's entry never reached the durable copy. */
  sessionId: string | null;
  ticketId: string;
  arrival: number;
  prequeue: boolean;
  number: number | null;
  admittedUntil: number | null;
}

/** A queue as its durable copy holds it: what a store lost and rebuilds (`restore`). */
export interface StoredQueue {
  /** `joined` is `arrivals`: every arrival is one entry. */
  state: Omit<QueueState, 'joined'>;
  seed: string;
  arrivals: number;
  entries: StoredEntry[];
}

/**
 * What a store tells the durable copy of its queues (queue/journal.ts). Settings and the draw are
 * written through (awaited); joins and admissions behind, never on the join's path.
 */
export interface QueueLog {
  configured(
    eventId: string,
    settings: QueueSettings,
    seed: string,
    commitment: string,
  ): Promise<void>;
  /** The queue started again whole (`rearm`): what was stored of it before is gone. */
  rearmed(
    eventId: string,
    settings: QueueSettings,
    seed: string,
    commitment: string,
  ): Promise<void>;
  patched(eventId: string, state: QueueState): Promise<void>;
  /** `order`: the ticket ids the draw numbered 1..n, the pre-queue's `prequeueCount` first. */
  drawn(eventId: string, order: string[], prequeueCount: number): Promise<void>;
  joined(
    eventId: string,
    entry: { sessionId: string; ticketId: string; arrival: number; prequeue: boolean },
    record: EntryRecord,
  ): void;
  admitted(
    eventId: string,
    entries: { sessionId: string; ticketId: string; number: number }[],
    admittedUntil: number,
    servedThrough: number,
  ): void;
  soldOut(eventId: string, soldOut: boolean): void;
}

export interface QueueStore {
  /**
   * Creates the event's queue, or replaces its settings while `salesStartAt` (the stored one) is
   * still ahead; the seed, its commitment and the entries stay. `seed`: hex, used on creation only.
   */
  configure(eventId: string, settings: QueueSettings, seed: string): Promise<ConfigureOutcome>;
  /**
   * Replaces the event's queue whole, at any time, in one step: entries, numbers and admissions
   * are dropped and it starts again from `settings` with the new `seed` (a demo event's reset).
   */
  rearm(eventId: string, settings: QueueSettings, seed: string): Promise<QueueState>;
  /** Live rate and pause changes, at any time. */
  patch(eventId: string, patch: QueuePatch): Promise<QueueOutcome>;
  get(eventId: string): Promise<QueueOutcome>;
  /**
   * Joins the session (idempotent: a second call answers the same entry, `created` false).
   * `ticketId`: the public id a new entry gets. Before `salesStartAt` the entry is in the
   * pre-queue (no number); after the draw it takes the next number; between the two (sales
   * started, draw not applied yet) it is numbered by the draw after the pre-queue, by arrival.
   * `proofBits`: the leading zero bits of the join's proof (domain/draw.ts proofBits); a new
   * entry needs at least the queue's `powBits`, checked in the same atomic step. `limit`: every
   * join of the session (a repeated one too) counts against it, in the same step; past it the
   * join is refused (RATE_LIMITED) before anything is written. Without it, no limit.
   */
  join(
    eventId: string,
    sessionId: string,
    ticketId: string,
    proofBits: number,
    limit?: JoinLimit,
  ): Promise<JoinOutcome>;
  entry(eventId: string, sessionId: string): Promise<EntryOutcome>;
  /**
   * The admission job's step, safe from any number of replicas at once: draws when
   * `salesStartAt` has passed (once), then advances `servedThrough` by the allowance since the
   * last tick (a token bucket at `admitPerMinute`, at most one second's worth at a time), unless
   * paused or nothing is available; admitted sessions get `admittedUntil`.
   */
  tick(eventId: string, inventory: Inventory): Promise<TickOutcome>;
  /** The draw's seed and the pre-queue's numbers, once drawn. */
  audit(eventId: string): Promise<AuditOutcome>;
  /**
   * The hold gate: true when the event has no queue, or the session's admission lasts past now
   * (the store's clock). The Redis hold script makes the same check atomically (README).
   */
  isAdmitted(eventId: string, sessionId: string): Promise<boolean>;
  /**
   * Writes back a lost queue from its durable copy, safe from any number of replicas at once:
   * a queue that exists (restored by another, or never lost) is left as it is.
   */
  restore(eventId: string, stored: StoredQueue): Promise<void>;
  close(): Promise<void>;
}
