// Keeps the hold store's SOLD marks exactly the ledger's live tickets, in both directions: at
// start-up, on a timer, and whenever a store call finds an event's state missing (Redis lost it),
// so a lost Redis never frees a sold seat and a SOLD mark without a ticket never stays.
import type { FastifyBaseLogger } from 'fastify';
import type { HoldStore } from '../holds/types.js';
import type { Ledger } from '../ledger/types.js';

export class Reconciler {
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(
    /** The backing store itself: the reconciler must see NOT_READY, not heal it. */
    private readonly store: HoldStore,
    private readonly ledger: Ledger,
    private readonly log: FastifyBaseLogger,
  ) {}

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
   * Rebuilds every event whose store state is missing, and brings the SOLD marks of the others
   * to exactly the ledger's sold seats: marks a sale whose process died between the commit and
   * the SOLD mark, and frees a SOLD mark the ledger has no live ticket for.
   */
  async reconcile(eventIds: string[]): Promise<void> {
    const counts = await this.store.counts(eventIds);
    for (const eventId of eventIds) {
      if ((counts.get(eventId) ?? null) === null) await this.restore(eventId);
      else await this.align(eventId);
    }
  }

  /**
   * The store's SOLD set is read before the ledger's: a SOLD mark is only ever set after its
   * ledger commit, so a mark the later ledger read does not list has no live ticket.
   */
  private async align(eventId: string): Promise<void> {
    const snapshot = await this.store.snapshot(eventId);
    if (!snapshot.ok) {
      await this.restore(eventId);
      return;
    }
    const sold = new Set(await this.ledger.soldSeats(eventId));
    const marked = new Set(snapshot.sold);
    const unmarked = [...sold].filter((seatId) => !marked.has(seatId));
    const unsold = snapshot.sold.filter((seatId) => !sold.has(seatId));
    if (unmarked.length > 0) await this.store.markSold(eventId, unmarked);
    if (unsold.length > 0) await this.store.unmarkSold(eventId, unsold);
    if (unmarked.length + unsold.length > 0) {
      this.log.warn(
        { eventId, marked: unmarked.length, unmarked: unsold.length },
        'SOLD marks brought in step with the ledger',
      );
    }
  }
}
