// Keeps the hold store's SOLD marks exactly the ledger's live tickets, in both directions: at
// start-up, on a timer, and whenever a store call finds an event's state missing (Redis lost it),
// so a lost Redis never frees a sold seat and a SOLD mark without a ticket never stays.
import type { FastifyBaseLogger } from 'fastify';
import type { HoldStore } from '../holds/types.js';
import type { Ledger, SoldSeat } from '../ledger/types.js';

export class Reconciler {
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly before: ((eventId: string) => Promise<unknown>)[] = [];

  constructor(
    /** The backing store itself: the reconciler must see NOT_READY, not heal it. */
    private readonly store: HoldStore,
    private readonly ledger: Ledger,
    private readonly log: FastifyBaseLogger,
  ) {}

  /**
   * State of the event that the hold scripts read and that lives in the same Redis (the waiting
   * room the hold gate checks): rebuilt first whenever the hold state is, so that no hold is
   * answered before it is back.
   */
  restoreFirst(rebuild: (eventId: string) => Promise<unknown>): void {
    this.before.push(rebuild);
  }

  /** Rebuilds the event's SOLD seats in the store; concurrent callers share one rebuild. */
  restore(eventId: string): Promise<void> {
    const running = this.inflight.get(eventId);
    if (running !== undefined) return running;
    const rebuild = (async () => {
      for (const first of this.before) await first(eventId);
      const sales = await this.ledger.sales(eventId);
      await this.store.restore(eventId, sales);
      this.log.info({ eventId, sold: sales.length }, 'hold store restored from the ledger');
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
   * ledger commit, so a mark the later ledger read does not list had no live ticket then. Its
   * seat may still be sold again before the mark is freed (the cancellation freed it, another
   * buyer took it): so a seat whose ticket was cancelled is freed only if it is still SOLD to
   * that ticket's buyer.
   */
  private async align(eventId: string): Promise<void> {
    const snapshot = await this.store.snapshot(eventId);
    if (!snapshot.ok) {
      await this.restore(eventId);
      return;
    }
    const sales = await this.ledger.sales(eventId);
    const sold = new Set(sales.map((sale) => sale.seatId));
    const marked = new Set(snapshot.sold);
    const unmarked = sales.filter((sale) => !marked.has(sale.seatId));
    const unsold = snapshot.sold.filter((seatId) => !sold.has(seatId));
    for (const [buyer, seatIds] of byBuyer(unmarked)) {
      await this.store.markSold(eventId, seatIds, buyer);
    }
    if (unsold.length > 0) await this.free(eventId, unsold);
    if (unmarked.length + unsold.length > 0) {
      this.log.warn(
        { eventId, marked: unmarked.length, unmarked: unsold.length },
        'SOLD marks brought in step with the ledger',
      );
    }
  }

  private async free(eventId: string, seatIds: string[]): Promise<void> {
    const cancelled = await this.ledger.cancelledSales(eventId, seatIds);
    for (const [buyer, seats] of byBuyer(cancelled)) {
      await this.store.unmarkSold(eventId, seats, buyer);
    }
    // No ticket at all (never sold, or an admin reset): whoever the mark names.
    const known = new Set(cancelled.map((sale) => sale.seatId));
    const unknown = seatIds.filter((seatId) => !known.has(seatId));
    if (unknown.length > 0) await this.store.unmarkSold(eventId, unknown);
  }
}

function byBuyer(sales: SoldSeat[]): Map<string, string[]> {
  const seats = new Map<string, string[]>();
  for (const { seatId, sessionId } of sales) {
    const list = seats.get(sessionId);
    if (list === undefined) seats.set(sessionId, [seatId]);
    else list.push(seatId);
  }
  return seats;
}
