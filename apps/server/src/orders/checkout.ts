// Checkout without races (DESIGN.md): 1. the store pins the session's holds, 2. one ledger
// transaction writes the order (the tickets' unique key is the last defence), 3. the store marks
// the seats SOLD. If 2 fails the holds go back; if the process dies after 2, the reconciler ends it.
import type { FastifyBaseLogger } from 'fastify';
import type { Order } from '@ticketmain/protocol';
import { errors } from '../domain/errors.js';
import { assertSeatCount } from '../domain/hold-rules.js';
import { sameSecret } from '../domain/tokens.js';
import { lookupSeat } from '../domain/venue/layout.js';
import { assertKnownSeats, type Catalog, type CatalogEntry } from '../events/catalog.js';
import type { ReadyHoldStore } from '../holds/self-healing.js';
import type { HeldSeat } from '../holds/types.js';
import type { BuyerDetails, Ledger, OrderRecord } from '../ledger/types.js';
import type { OrderPresenter } from './present.js';

export interface OrderRequestArgs {
  eventId: string;
  sessionId: string;
  seatIds: string[];
  idempotencyKey: string;
  buyer?: BuyerDetails | undefined;
}

/** Who reads an order: its session, or whoever has the key of its link. */
export interface OrderReader {
  sessionId?: string | undefined;
  key?: string | undefined;
}

export interface PlacedOrder {
  order: Order;
  /** True when the idempotency key had already placed this order. */
  replay: boolean;
}

export class CheckoutService {
  constructor(
    private readonly store: ReadyHoldStore,
    private readonly ledger: Ledger,
    private readonly catalog: Catalog,
    private readonly presenter: OrderPresenter,
    private readonly rules: { checkoutWindowMs: number; maxSeatsPerSession: number },
    private readonly log: FastifyBaseLogger,
    /** Test hook: runs between the ledger commit and the SOLD mark (fault-injection tests). */
    private readonly hooks: { afterCommit?: (() => void) | undefined } = {},
  ) {}

  async placeOrder(args: OrderRequestArgs): Promise<PlacedOrder> {
    assertSeatCount(args.seatIds, this.rules.maxSeatsPerSession);
    const entry = await this.catalog.get(args.eventId);
    assertKnownSeats(entry, args.seatIds);
    const { eventId, sessionId, seatIds } = args;
    const pinned = await this.store.beginCheckout(
      eventId,
      sessionId,
      seatIds,
      this.rules.checkoutWindowMs,
      args.idempotencyKey,
    );
    if (!pinned.ok) {
      // Not (or no longer) held: maybe because this very key already bought them. The key is
      // looked up only here, so the common path costs no extra round trip; a key reused while
      // the seats are still held is caught by the ledger's unique key instead.
      const existing = await this.ledger.findOrderByKey(sessionId, args.idempotencyKey);
      if (existing !== null) return this.replay(existing, args);
      if (pinned.reason === 'CHECKOUT_IN_PROGRESS') throw errors.checkoutInProgress(pinned.seats);
      throw pinned.reason === 'SEAT_SOLD'
        ? errors.seatSold(pinned.seats)
        : errors.seatNotHeld(pinned.seats);
    }
    return this.write(entry, args, pinned.previous);
  }

  async getOrder(orderId: string, reader: OrderReader): Promise<Order> {
    const order = await this.ledger.getOrder(orderId);
    // An order that is not the reader's is reported as missing: its existence is not ours to
    // reveal, whether the reader came with a wrong key, another session or nothing.
    if (order === null || !mayRead(order, reader)) throw errors.orderNotFound();
    return this.presenter.present(order);
  }

  private async write(
    entry: CatalogEntry,
    args: OrderRequestArgs,
    previous: HeldSeat[],
  ): Promise<PlacedOrder> {
    const tickets = args.seatIds.map((seatId) => {
      const seat = lookupSeat(entry.index, seatId);
      if (seat === undefined) throw errors.unknownSeats([seatId]);
      return { seatId, sectionId: seat.sectionId, price: seat.price };
    });
    let outcome;
    try {
      outcome = await this.ledger.insertOrder({
        eventId: args.eventId,
        sessionId: args.sessionId,
        idempotencyKey: args.idempotencyKey,
        tickets,
        currency: entry.record.currency,
        signingKid: this.presenter.signingKid(),
        buyer: args.buyer,
      });
    } catch (error) {
      // The commit may or may not have happened (a connection lost mid-statement).
      const committed = await this.settleUnknown(args, previous);
      if (committed === null) throw error;
      return { order: await this.presenter.present(committed), replay: false };
    }
    if (outcome.ok) {
      this.hooks.afterCommit?.();
      await this.markSold(args.eventId, args.seatIds, args.sessionId);
      return { order: await this.presenter.present(outcome.order), replay: false };
    }
    await this.giveBack(args.eventId, args.sessionId, previous);
    if (outcome.reason === 'KEY_EXISTS') {
      const winner = await this.ledger.findOrderByKey(args.sessionId, args.idempotencyKey);
      if (winner === null) throw errors.unavailable();
      return this.replay(winner, args);
    }
    // The ledger knows these seats are sold although the store did not: bring the store in step.
    await this.markSold(args.eventId, outcome.seatIds, args.sessionId);
    throw errors.seatSold(outcome.seatIds);
  }

  private async replay(order: OrderRecord, args: OrderRequestArgs): Promise<PlacedOrder> {
    const bought = order.tickets.map((t) => t.seatId).sort();
    const asked = [...args.seatIds].sort();
    const same =
      order.eventId === args.eventId &&
      bought.length === asked.length &&
      bought.every((seatId, i) => seatId === asked[i]);
    if (!same) throw errors.keyReused();
    await this.markSold(order.eventId, bought, order.sessionId);
    return { order: await this.presenter.present(order), replay: true };
  }

  /** Step 3. The order is committed whatever happens here; the reconciler finishes a failed mark. */
  private async markSold(eventId: string, seatIds: string[], buyer: string): Promise<void> {
    try {
      await this.store.markSold(eventId, seatIds, buyer);
    } catch (error) {
      this.log.error(
        { err: error, eventId, seatIds },
        'SOLD mark failed; the reconciler will retry',
      );
    }
  }

  /**
   * After a write whose outcome is unknown, asks the ledger by the idempotency key: a committed
   * order is marked SOLD and returned; an absent one gives the holds back. If the ledger cannot
   * be asked either, the seats stay in checkout until its deadline: giving them back could let
   * another buyer hold a seat that the order did sell.
   */
  private async settleUnknown(
    args: OrderRequestArgs,
    previous: HeldSeat[],
  ): Promise<OrderRecord | null> {
    let found: OrderRecord | null;
    try {
      found = await this.ledger.findOrderByKey(args.sessionId, args.idempotencyKey);
    } catch (error) {
      this.log.warn({ err: error, eventId: args.eventId }, 'order outcome unknown; seats kept');
      return null;
    }
    if (found === null) {
      await this.giveBack(args.eventId, args.sessionId, previous);
      return null;
    }
    await this.markSold(
      found.eventId,
      found.tickets.map((t) => t.seatId),
      found.sessionId,
    );
    return found;
  }

  private async giveBack(eventId: string, sessionId: string, previous: HeldSeat[]): Promise<void> {
    try {
      await this.store.abortCheckout(eventId, sessionId, previous);
    } catch (error) {
      this.log.warn({ err: error, eventId }, 'could not give holds back after a failed order');
    }
  }
}

export function mayRead(order: OrderRecord, reader: OrderReader): boolean {
  if (reader.sessionId !== undefined && reader.sessionId === order.sessionId) return true;
  return reader.key !== undefined && sameSecret(reader.key, order.accessKey);
}
