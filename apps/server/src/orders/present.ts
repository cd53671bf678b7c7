// An order as the API shows it: its seats, its tickets with their signed codes, and the link
// to its page. Codes are signed again at each read (codes.ts), from the stored ticket rows.
import type { Order } from '@ticketmain/protocol';
import type { OrderRecord } from '../ledger/types.js';
import { signTicket } from '../tickets/codes.js';
import type { TicketKeyring } from '../tickets/keyring.js';

export class OrderPresenter {
  /** @param publicUrl the web app's origin (PUBLIC_URL); '' gives the page's path alone */
  constructor(
    private readonly keyring: TicketKeyring,
    private readonly publicUrl: string,
  ) {}

  /** The key id that new orders are signed with. */
  signingKid(): string {
    return this.keyring.current().kid;
  }

  async present(order: OrderRecord): Promise<Order> {
    const key = await this.keyring.signingKey(order.signingKid);
    const iat = Math.floor(order.createdAt.getTime() / 1000);
    const tickets = order.tickets.map(({ ticketId, seatId, sectionId }) => ({
      ticketId,
      seatId,
      sectionId,
      code: signTicket(key, { tid: ticketId, eid: order.eventId, sid: seatId, iat }),
    }));
    return {
      orderId: order.id,
      eventId: order.eventId,
      status: order.cancelledAt === null ? 'CONFIRMED' : 'CANCELLED',
      seats: order.tickets.map((t) => ({
        seatId: t.seatId,
        sectionId: t.sectionId,
        price: t.price,
      })),
      total: order.total,
      currency: order.currency,
      createdAt: order.createdAt.toISOString(),
      tickets,
      url: this.url(order),
      ...(order.buyer === null ? {} : { buyer: order.buyer }),
      ...(order.cancelledAt === null
        ? {}
        : {
            cancelledAt: order.cancelledAt.toISOString(),
            refund: { amount: order.refund ?? 0, currency: order.currency },
          }),
    };
  }

  private url(order: OrderRecord): string {
    const key = encodeURIComponent(order.accessKey);
    return `${this.publicUrl}/orders/${order.id}?key=${key}`;
  }
}
