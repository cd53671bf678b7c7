// Cancelling an order (API.md "Cancellation, refunds and the waiting list"): 1. one ledger
// transaction cancels the order and its tickets, conditionally, so of concurrent cancels one
// does it; 2. that one call, and only it, hands the seats to the waiting list (waitlist/), which
// moves them from SOLD straight to holds of the entries that fit and the rest to AVAILABLE in
// the hold store (one script per entry, published to subscribers). If 2 fails, the reconciler frees the seats:
// a SOLD mark without a live ticket. A repeated cancel never touches the store, since the seat
// may have been sold again meanwhile.
import type { FastifyBaseLogger } from 'fastify';
import type { Order } from '@ticketmain/protocol';
import { errors } from '../domain/errors.js';
import type { ReadyHoldStore } from '../holds/self-healing.js';
import type { Ledger, OrderRecord } from '../ledger/types.js';
import { mayRead, type OrderReader } from './checkout.js';
import type { OrderPresenter } from './present.js';
import type { WaitlistService } from '../waitlist/service.js';

export class CancellationService {
  constructor(
    private readonly store: ReadyHoldStore,
    private readonly ledger: Ledger,
    private readonly presenter: OrderPresenter,
    private readonly log: FastifyBaseLogger,
    private readonly waitlist?: WaitlistService,
    private readonly now: () => number = Date.now,
  ) {}

  /** The organiser: any order, with `refund` cents back (default the total). */
  async cancelByOrganiser(orderId: string, refund?: number): Promise<Order> {
    const order = await this.ledger.getOrder(orderId);
    if (order === null) throw errors.orderNotFound();
    const amount = refund ?? order.total;
    if (!Number.isSafeInteger(amount) || amount < 0 || amount > order.total) {
      throw errors.invalidRefund(order.total);
    }
    return this.cancel(order, amount);
  }

  /**
   * The buyer (the order's session, or the key of its page): a full refund while the event's
   * `buyerCancellationUntil` is ahead. An order already cancelled is answered as it is.
   */
  async cancelByBuyer(orderId: string, reader: OrderReader): Promise<Order> {
    const order = await this.ledger.getOrder(orderId);
    if (order === null || !mayRead(order, reader)) throw errors.orderNotFound();
    if (order.cancelledAt !== null) return this.presenter.present(order);
    // From the ledger, not the catalog's cache: a rule just closed must close at once.
    const event = await this.ledger.getEvent(order.eventId);
    const until = event?.rules.buyerCancellationUntil ?? null;
    if (until === null || Date.parse(until) <= this.now()) throw errors.cancellationClosed();
    return this.cancel(order, order.total);
  }

  private async cancel(order: OrderRecord, refund: number): Promise<Order> {
    if (order.cancelledAt !== null) return this.presenter.present(order);
    const outcome = await this.ledger.cancelOrder(order.id, refund);
    if (outcome === null) throw errors.orderNotFound();
    if (outcome.cancelled) await this.release(outcome.order);
    return this.presenter.present(outcome.order);
  }

  /** Step 2. The cancellation is committed whatever happens here. */
  private async release(order: OrderRecord): Promise<void> {
    const seatIds = order.tickets.map((ticket) => ticket.seatId);
    try {
      if (this.waitlist === undefined) {
        await this.store.unmarkSold(order.eventId, seatIds, order.sessionId);
      } else {
        await this.waitlist.releaseCancelled(order.eventId, seatIds, order.sessionId);
      }
    } catch (error) {
      this.log.error(
        { err: error, eventId: order.eventId, seatIds },
        'releasing cancelled seats failed; the reconciler will free them',
      );
    }
  }
}
