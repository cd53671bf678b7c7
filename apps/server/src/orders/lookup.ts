// The organiser's look-ups of orders: an event's orders found by id or buyer e-mail, and any one
// order in full (its tickets' codes and page link included: the admin token may see them all).
import { ORDER_SEARCH_DEFAULT_LIMIT, type Order, type OrderSummary } from '@ticketmain/protocol';
import { errors } from '../domain/errors.js';
import { searchTerms } from '../domain/order-search.js';
import type { Catalog } from '../events/catalog.js';
import type { Ledger, OrderListing } from '../ledger/types.js';
import type { OrderPresenter } from './present.js';

export class OrderLookup {
  constructor(
    private readonly ledger: Ledger,
    private readonly catalog: Catalog,
    private readonly presenter: OrderPresenter,
  ) {}

  /** `query` absent: the event's latest orders. 404 for an unknown event. */
  async search(eventId: string, query?: string, limit?: number): Promise<OrderSummary[]> {
    await this.catalog.get(eventId);
    const listings = await this.ledger.searchOrders({
      eventId,
      terms: searchTerms(query ?? ''),
      limit: limit ?? ORDER_SEARCH_DEFAULT_LIMIT,
    });
    return listings.map(summary);
  }

  async order(orderId: string): Promise<Order> {
    const order = await this.ledger.getOrder(orderId);
    if (order === null) throw errors.orderNotFound();
    return this.presenter.present(order);
  }
}

function summary(listing: OrderListing): OrderSummary {
  return {
    orderId: listing.id,
    eventId: listing.eventId,
    status: listing.status,
    seatIds: listing.seatIds,
    total: listing.total,
    currency: listing.currency,
    createdAt: listing.createdAt.toISOString(),
    ...(listing.buyer === null ? {} : { buyer: listing.buyer }),
  };
}
