// Keeps the hold store's SOLD marks in step with the ledger: at start-up, on a timer, and whenever
// a store call answers NOT_READY (Redis lost the event's state), so a lost Redis never frees a sold seat.
import type { FastifyBaseLogger } from 'fastify';
import { errors } from '../domain/errors.js';
import type { HoldStore, NotReady } from '../holds/types.js';
import type { Ledger } from '../ledger/types.js';

function isNotReady(outcome: { ok: boolean }): outcome is NotReady {
  return !outcome.ok && (outcome as Partial<NotReady>).reason === 'NOT_READY';
}

export class Reconciler {
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(
    private readonly store: HoldStore,
    private readonly ledger: Ledger,
    private readonly log: FastifyBaseLogger,
  ) {}

  /**
   * Runs a store operation of one event; when the event's state is missing it is rebuilt from the
   * ledger first and the operation runs again, so no answer is ever given from a lost state.
   */
  async run<T extends { ok: boolean }>(
    eventId: string,
    operation: () => Promise<T | NotReady>,
  ): Promise<Exclude<T, NotReady>> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const outcome = await operation();
      if (!isNotReady(outcome)) return outcome as Exclude<T, NotReady>;
      await this.restore(eventId);
    }
    throw errors.unavailable('The seat state is being rebuilt; try again shortly');
  }

  /** Rebuilds the event's SOLD seats in the store; concurrent callers share one rebuild. */
  restore(eventId: string): Promise<void> {
    const running = this.inflight.get(eventId);
    if (running !== undefined) return running;
    const rebuild = (async () => {
      const sold = await this.ledger.soldSeats(eventId);
      await this.store.restore(eventId, sold);
      this.log.info({ eventId, sold: sold.length }, 'hold store restored from the ledger');
    })().finally(() => this.inflight.delete(eventId));
    this.inflight.set(eventId, rebuild);
    return rebuild;
  }

  /**
   * Restores every event whose store state is missing or counts fewer SOLD seats than the ledger
   * (a process that died between the ledger commit and the SOLD mark).
   */
  async reconcile(eventIds: string[]): Promise<void> {
    const counts = await this.store.counts(eventIds);
    for (const eventId of eventIds) {
      const stored = counts.get(eventId) ?? null;
      if (stored === null || stored.sold < (await this.ledger.soldCount(eventId))) {
        await this.restore(eventId);
      }
    }
  }
}
