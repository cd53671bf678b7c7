// The queue store in process (embedded mode), with an injectable clock: the same answers as the
// Redis scripts, in one Node process, where every call is atomic by construction.
import type { AdmissionProbe } from '../holds/types.js';
import { allowance, type Bucket } from '../domain/admission.js';
import { draw, seedCommitment } from '../domain/draw.js';
import type {
  AuditOutcome,
  ConfigureOutcome,
  EntryOutcome,
  EntryRecord,
  Inventory,
  JoinOutcome,
  QueueOutcome,
  QueuePatch,
  QueueSettings,
  QueueState,
  QueueStore,
  TickOutcome,
} from './types.js';

interface Ticket {
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
}

export class MemoryQueueStore implements QueueStore, AdmissionProbe {
  private readonly queues = new Map<string, EventQueue>();

  constructor(private readonly now: () => number = Date.now) {}

  configure(eventId: string, settings: QueueSettings, seed: string): Promise<ConfigureOutcome> {
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
      };
      this.queues.set(eventId, fresh);
      return ok({ ok: true, queue: { ...state } });
    }
    if (this.now() >= queue.state.salesStartAt) return ok({ ok: false, reason: 'QUEUE_STARTED' });
    Object.assign(queue.state, settings);
    return ok({ ok: true, queue: { ...queue.state } });
  }

  async rearm(eventId: string, settings: QueueSettings, seed: string): Promise<QueueState> {
    this.queues.delete(eventId);
    const outcome = await this.configure(eventId, settings, seed);
    if (!outcome.ok) throw new Error('a new queue cannot have started');
    return outcome.queue;
  }

  patch(eventId: string, patch: QueuePatch): Promise<QueueOutcome> {
    const queue = this.queues.get(eventId);
    if (queue === undefined) return ok({ ok: false, reason: 'QUEUE_NOT_FOUND' });
    if (patch.admitPerMinute !== undefined) queue.state.admitPerMinute = patch.admitPerMinute;
    if (patch.paused !== undefined) queue.state.paused = patch.paused;
    return ok({ ok: true, queue: { ...queue.state } });
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
  ): Promise<JoinOutcome> {
    const queue = this.queues.get(eventId);
    if (queue === undefined) return ok({ ok: false, reason: 'QUEUE_NOT_FOUND' });
    const now = this.now();
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
    if (state.drawn) this.number(queue, ticketId, ticket);
    const entry = this.record(queue, sessionId, ticketId);
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

  tick(eventId: string, inventory: Inventory): Promise<TickOutcome> {
    const queue = this.queues.get(eventId);
    if (queue === undefined) return ok({ ok: false, reason: 'QUEUE_NOT_FOUND' });
    const now = this.now();
    const { state } = queue;
    if (now < state.salesStartAt) return ok(ticked(state, 0, false));
    const drew = !state.drawn;
    if (drew) this.draw(queue, now);
    state.soldOut = inventory.soldOut;
    const room = state.lastNumber - state.servedThrough;
    const step = allowance(queue.bucket, now, state.admitPerMinute, room);
    queue.bucket = step.bucket;
    if (state.paused || !inventory.available || step.admit === 0) return ok(ticked(state, 0, drew));
    const until = now + state.admissionSeconds * 1000;
    for (let n = state.servedThrough + 1; n <= state.servedThrough + step.admit; n++) {
      const ticket = queue.tickets.get(queue.line[n - 1] ?? '');
      if (ticket !== undefined) queue.admitted.set(ticket.sessionId, until);
    }
    state.servedThrough += step.admit;
    return ok(ticked(state, step.admit, drew));
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

  close(): Promise<void> {
    this.queues.clear();
    return Promise.resolve();
  }

  /** The pre-queue by the seed, then whoever came after sales started, by arrival. */
  private draw(queue: EventQueue, now: number): void {
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

function ticked(state: QueueState, admitted: number, drew: boolean): TickOutcome {
  return { ok: true, admitted, drew, servedThrough: state.servedThrough };
}

function ok<T>(value: T): Promise<T> {
  return Promise.resolve(value);
}
