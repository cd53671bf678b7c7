// The queue store in process (embedded mode), with an injectable clock: the same answers as the
// Redis scripts, in one Node process, where every call is atomic by construction.
import type { AdmissionProbe } from '../holds/types.js';
import { allowance, type Bucket } from '../domain/admission.js';
import { draw, seedCommitment } from '../domain/draw.js';
import { SlidingLogs } from '../limits/sliding-log.js';
import type {
  AuditOutcome,
  ConfigureOutcome,
  EntryOutcome,
  EntryRecord,
  Inventory,
  JoinLimit,
  JoinOutcome,
  QueueLog,
  QueueOutcome,
  QueuePatch,
  QueueSettings,
  QueueState,
  QueueStore,
  StoredQueue,
  TickOutcome,
} from './types.js';

interface Ticket {
  /** Empty for a number whose session a restore did not know. */
  sessionId: string;
  prequeue: boolean;
  number: number | null;
}

interface EventQueue {
  state: QueueState;
  seed: string;
  bucket: Bucket;
  /** sessionId → ticketId. */
  entries: Map<string, string>;
  /** ticketId → its entry, in arrival order. */
  tickets: Map<string, Ticket>;
  /** number - 1 → ticketId. */
  line: string[];
  /** sessionId → admittedUntil. */
  admitted: Map<string, number>;
  arrivals: number;
  /** sessionId → its joins in the last window (the join limit). */
  joins: SlidingLogs;
  /** What the durable copy was last told of soldOut. */
  toldSoldOut?: boolean;
}

export class MemoryQueueStore implements QueueStore, AdmissionProbe {
  private readonly queues = new Map<string, EventQueue>();

  constructor(
    private readonly now: () => number = Date.now,
    /** The durable copy of the queues (absent: memory alone). */
    private readonly log?: QueueLog,
  ) {}

  async configure(
    eventId: string,
    settings: QueueSettings,
    seed: string,
  ): Promise<ConfigureOutcome> {
    const outcome = this.configureHere(eventId, settings, seed);
    const queue = this.queues.get(eventId);
    if (outcome.ok && queue !== undefined) {
      await this.log?.configured(eventId, settings, queue.seed, queue.state.seedCommitment);
    }
    return outcome;
  }

  private configureHere(eventId: string, settings: QueueSettings, seed: string): ConfigureOutcome {
    const queue = this.queues.get(eventId);
    if (queue === undefined) {
      const state: QueueState = {
        ...settings,
        paused: false,
        seedCommitment: seedCommitment(Buffer.from(seed, 'hex')),
        drawn: false,
        servedThrough: 0,
        lastNumber: 0,
        soldOut: false,
        joined: 0,
      };
      const fresh: EventQueue = {
        state,
        seed,
        bucket: { tokens: 0, lastTickAt: 0 },
        entries: new Map(),
        tickets: new Map(),
        line: [],
        admitted: new Map(),
        arrivals: 0,
        joins: new SlidingLogs(),
      };
      this.queues.set(eventId, fresh);
      return { ok: true, queue: { ...state } };
    }
    if (this.now() >= queue.state.salesStartAt) return { ok: false, reason: 'QUEUE_STARTED' };
    Object.assign(queue.state, settings);
    return { ok: true, queue: { ...queue.state } };
  }

  async rearm(eventId: string, settings: QueueSettings, seed: string): Promise<QueueState> {
    this.queues.delete(eventId);
    const outcome = this.configureHere(eventId, settings, seed);
    if (!outcome.ok) throw new Error('a new queue cannot have started');
    await this.log?.rearmed(eventId, settings, seed, outcome.queue.seedCommitment);
    return outcome.queue;
  }

  async patch(eventId: string, patch: QueuePatch): Promise<QueueOutcome> {
    const queue = this.queues.get(eventId);
    if (queue === undefined) return { ok: false, reason: 'QUEUE_NOT_FOUND' };
    if (patch.admitPerMinute !== undefined) queue.state.admitPerMinute = patch.admitPerMinute;
    if (patch.paused !== undefined) queue.state.paused = patch.paused;
    if (patch.admitPerMinute !== undefined || patch.paused !== undefined) {
      await this.log?.patched(eventId, { ...queue.state });
    }
    return { ok: true, queue: { ...queue.state } };
  }

  get(eventId: string): Promise<QueueOutcome> {
    const queue = this.queues.get(eventId);
    if (queue === undefined) return ok({ ok: false, reason: 'QUEUE_NOT_FOUND' });
    return ok({ ok: true, queue: { ...queue.state } });
  }

  join(
    eventId: string,
    sessionId: string,
    ticketId: string,
    proofBits: number,
    limit?: JoinLimit,
  ): Promise<JoinOutcome> {
    const queue = this.queues.get(eventId);
    if (queue === undefined) return ok({ ok: false, reason: 'QUEUE_NOT_FOUND' });
    const now = this.now();
    if (limit !== undefined && limit.max > 0) {
      const hit = queue.joins.hit(sessionId, now, limit.windowMs, limit.max);
      if (hit.current > limit.max) {
        return ok({ ok: false, reason: 'RATE_LIMITED', retryAfterMs: hit.ttl });
      }
    }
    const known = queue.entries.get(sessionId);
    if (known !== undefined) {
      const entry = this.record(queue, sessionId, known);
      return ok({ ok: true, created: false, entry, queue: { ...queue.state }, now });
    }
    const { state } = queue;
    if (now < state.opensAt)
      return ok({ ok: false, reason: 'QUEUE_NOT_OPEN', opensAt: state.opensAt });
    if (proofBits < state.powBits) {
      return ok({ ok: false, reason: 'PROOF_REQUIRED', powBits: state.powBits });
    }
    const ticket: Ticket = { sessionId, prequeue: now < state.salesStartAt, number: null };
    queue.entries.set(sessionId, ticketId);
    queue.tickets.set(ticketId, ticket);
    state.joined += 1;
    const arrival = ++queue.arrivals;
    if (state.drawn) this.number(queue, ticketId, ticket);
    const entry = this.record(queue, sessionId, ticketId);
    const joined = { sessionId, ticketId, arrival, prequeue: ticket.prequeue };
    this.log?.joined(eventId, joined, entry);
    return ok({ ok: true, created: true, entry, queue: { ...state }, now });
  }

  entry(eventId: string, sessionId: string): Promise<EntryOutcome> {
    const queue = this.queues.get(eventId);
    if (queue === undefined) return ok({ ok: false, reason: 'QUEUE_NOT_FOUND' });
    const ticketId = queue.entries.get(sessionId);
    if (ticketId === undefined) return ok({ ok: false, reason: 'QUEUE_NOT_JOINED' });
    const entry = this.record(queue, sessionId, ticketId);
    return ok({ ok: true, entry, queue: { ...queue.state }, now: this.now() });
  }

  async tick(eventId: string, inventory: Inventory): Promise<TickOutcome> {
    const queue = this.queues.get(eventId);
    if (queue === undefined) return { ok: false, reason: 'QUEUE_NOT_FOUND' };
    const now = this.now();
    const { state } = queue;
    if (now < state.salesStartAt) return ticked(state, 0, false);
    const drew = !state.drawn;
    if (drew) {
      const prequeueCount = this.draw(queue, now);
      await this.log?.drawn(eventId, queue.line.slice(), prequeueCount);
    }
    state.soldOut = inventory.soldOut;
    if (queue.toldSoldOut !== inventory.soldOut) {
      queue.toldSoldOut = inventory.soldOut;
      this.log?.soldOut(eventId, inventory.soldOut);
    }
    const room = state.lastNumber - state.servedThrough;
    const step = allowance(queue.bucket, now, state.admitPerMinute, room);
    queue.bucket = step.bucket;
    if (state.paused || !inventory.available || step.admit === 0) return ticked(state, 0, drew);
    const until = now + state.admissionSeconds * 1000;
    const admitted: { sessionId: string; ticketId: string; number: number }[] = [];
    for (let n = state.servedThrough + 1; n <= state.servedThrough + step.admit; n++) {
      const ticketId = queue.line[n - 1] ?? '';
      const ticket = queue.tickets.get(ticketId);
      if (ticket === undefined || ticket.sessionId === '') continue;
      queue.admitted.set(ticket.sessionId, until);
      admitted.push({ sessionId: ticket.sessionId, ticketId, number: n });
    }
    state.servedThrough += step.admit;
    this.log?.admitted(eventId, admitted, until, state.servedThrough);
    return ticked(state, step.admit, drew);
  }

  audit(eventId: string): Promise<AuditOutcome> {
    const queue = this.queues.get(eventId);
    if (queue === undefined) return ok({ ok: false, reason: 'QUEUE_NOT_FOUND' });
    if (!queue.state.drawn) return ok({ ok: false, reason: 'QUEUE_NOT_DRAWN' });
    const prequeue = [...queue.tickets]
      .filter(([, t]) => t.prequeue)
      .map(([ticketId, t]) => ({ ticketId, number: t.number ?? 0 }))
      .sort((a, b) => a.number - b.number);
    const { seed, state } = queue;
    return ok({ ok: true, seed, seedCommitment: state.seedCommitment, prequeue });
  }

  isAdmitted(eventId: string, sessionId: string): Promise<boolean> {
    return ok(this.admits(eventId, sessionId));
  }

  /** isAdmitted at once: the in-process hold store's gate (holds/types.ts AdmissionProbe). */
  admits(eventId: string, sessionId: string): boolean {
    const queue = this.queues.get(eventId);
    if (queue === undefined) return true;
    return (queue.admitted.get(sessionId) ?? 0) > this.now();
  }

  /** A queue this process has is left as it is (the store is atomic by construction). */
  restore(eventId: string, stored: StoredQueue): Promise<void> {
    if (!this.queues.has(eventId)) this.queues.set(eventId, rebuilt(stored, this.now()));
    return ok(undefined);
  }

  close(): Promise<void> {
    this.queues.clear();
    return Promise.resolve();
  }

  /** The pre-queue by the seed, then whoever came after sales started, by arrival. */
  private draw(queue: EventQueue, now: number): number {
    const pre = [...queue.tickets].filter(([, t]) => t.prequeue).map(([id]) => id);
    for (const { ticketId } of draw(Buffer.from(queue.seed, 'hex'), pre)) {
      const ticket = queue.tickets.get(ticketId);
      if (ticket !== undefined) this.number(queue, ticketId, ticket);
    }
    for (const [ticketId, ticket] of queue.tickets) {
      if (!ticket.prequeue) this.number(queue, ticketId, ticket);
    }
    queue.state.drawn = true;
    queue.bucket = { tokens: 0, lastTickAt: now };
    return pre.length;
  }

  private number(queue: EventQueue, ticketId: string, ticket: Ticket): void {
    queue.line.push(ticketId);
    ticket.number = queue.line.length;
    queue.state.lastNumber = ticket.number;
  }

  private record(queue: EventQueue, sessionId: string, ticketId: string): EntryRecord {
    const number = queue.tickets.get(ticketId)?.number ?? null;
    return { ticketId, number, admittedUntil: queue.admitted.get(sessionId) ?? null };
  }
}

/** An event's queue from its durable copy, in arrival order, numbers where they were. */
function rebuilt(stored: StoredQueue, now: number): EventQueue {
  const queue: EventQueue = {
    state: { ...stored.state, joined: stored.arrivals },
    seed: stored.seed,
    bucket: { tokens: 0, lastTickAt: now },
    entries: new Map(),
    tickets: new Map(),
    line: [],
    admitted: new Map(),
    arrivals: stored.arrivals,
    joins: new SlidingLogs(),
  };
  const entries = [...stored.entries].sort((a, b) => a.arrival - b.arrival);
  for (const { sessionId, ticketId, prequeue, number, admittedUntil } of entries) {
    if (sessionId !== null) {
      if (queue.entries.has(sessionId)) continue;
      queue.entries.set(sessionId, ticketId);
      if (admittedUntil !== null) queue.admitted.set(sessionId, admittedUntil);
    }
    queue.tickets.set(ticketId, { sessionId: sessionId ?? '', prequeue, number });
    if (number !== null) queue.line[number - 1] = ticketId;
  }
  queue.line.length = Math.max(queue.line.length, stored.state.lastNumber);
  queue.state.lastNumber = queue.line.length;
  return queue;
}

function ticked(state: QueueState, admitted: number, drew: boolean): TickOutcome {
  return { ok: true, admitted, drew, servedThrough: state.servedThrough };
}

function ok<T>(value: T): Promise<T> {
  return Promise.resolve(value);
}
