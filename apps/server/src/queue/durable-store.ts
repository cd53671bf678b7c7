// The queue store the service uses: a fast store (Redis or in process) whose lost queues are
// rebuilt from their durable copy (queue/journal.ts) before any answer is given. A queue is lost
// when the fast store says QUEUE_NOT_FOUND for an event the durable copy has a queue of (Redis
// restarted empty, flushed, failed over; the process restarted in embedded mode).
import type { FastifyBaseLogger } from 'fastify';
import type { QueueJournal } from './journal.js';
import type {
  AuditOutcome,
  ConfigureOutcome,
  EntryOutcome,
  Inventory,
  JoinLimit,
  JoinOutcome,
  QueueOutcome,
  QueuePatch,
  QueueSettings,
  QueueState,
  QueueStore,
  StoredQueue,
  TickOutcome,
} from './types.js';

type Outcome = { ok: true } | { ok: false; reason: string };

export class DurableQueueStore implements QueueStore {
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(
    readonly inner: QueueStore,
    private readonly journal: QueueJournal,
    private readonly log?: FastifyBaseLogger,
  ) {}

  async configure(eventId: string, s: QueueSettings, seed: string): Promise<ConfigureOutcome> {
    // A lost queue must come back before it is configured: else it would start afresh, with
    // another seed than the one committed to.
    await this.heal(eventId, () => this.inner.get(eventId));
    return this.inner.configure(eventId, s, seed);
  }

  /** Starts the queue again whole: nothing of the lost one is worth rebuilding first. */
  rearm(eventId: string, s: QueueSettings, seed: string): Promise<QueueState> {
    return this.inner.rearm(eventId, s, seed);
  }

  patch(eventId: string, patch: QueuePatch): Promise<QueueOutcome> {
    return this.heal(eventId, () => this.inner.patch(eventId, patch));
  }

  get(eventId: string): Promise<QueueOutcome> {
    return this.heal(eventId, () => this.inner.get(eventId));
  }

  join(
    eventId: string,
    sessionId: string,
    ticketId: string,
    bits: number,
    limit?: JoinLimit,
  ): Promise<JoinOutcome> {
    // A join that found no queue was not counted: the one after the rebuild is the first.
    return this.heal(eventId, () => this.inner.join(eventId, sessionId, ticketId, bits, limit));
  }

  entry(eventId: string, sessionId: string): Promise<EntryOutcome> {
    return this.heal(eventId, () => this.inner.entry(eventId, sessionId));
  }

  tick(eventId: string, inventory: Inventory): Promise<TickOutcome> {
    return this.heal(eventId, () => this.inner.tick(eventId, inventory));
  }

  audit(eventId: string): Promise<AuditOutcome> {
    return this.heal(eventId, () => this.inner.audit(eventId));
  }

  /** The fast store says true for "no queue": a lost queue is rebuilt before it is asked. */
  async isAdmitted(eventId: string, sessionId: string): Promise<boolean> {
    if (await this.journal.isQueued(eventId)) await this.get(eventId);
    return this.inner.isAdmitted(eventId, sessionId);
  }

  restore(eventId: string, stored: StoredQueue): Promise<void> {
    return this.inner.restore(eventId, stored);
  }

  /** The journal's last writes go out first; the fast store's client belongs to the caller. */
  async close(): Promise<void> {
    await this.journal.close();
    await this.inner.close();
  }

  /** Rebuilds the event's queue from the durable copy; concurrent callers share one rebuild. */
  rebuild(eventId: string): Promise<void> {
    const running = this.inflight.get(eventId);
    if (running !== undefined) return running;
    const rebuild = (async () => {
      const stored = await this.journal.load(eventId);
      if (stored === null) return;
      await this.inner.restore(eventId, stored);
      this.log?.info(
        { eventId, entries: stored.entries.length, servedThrough: stored.state.servedThrough },
        'queue restored from the ledger',
      );
    })().finally(() => this.inflight.delete(eventId));
    this.inflight.set(eventId, rebuild);
    return rebuild;
  }

  /** Runs a call; when it finds no queue where the durable copy has one, rebuilds and asks again. */
  private async heal<T extends Outcome>(eventId: string, call: () => Promise<T>): Promise<T> {
    const outcome = await call();
    if (outcome.ok || outcome.reason !== 'QUEUE_NOT_FOUND') return outcome;
    if (!(await this.journal.isQueued(eventId))) return outcome;
    await this.rebuild(eventId);
    return call();
  }
}
