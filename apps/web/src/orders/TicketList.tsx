// An order's tickets, one card each: where (row and seat, or general admission), the section and
// the price, and the QR code the gates scan. A cancelled order's tickets stay listed, its history,
// each marked void in place of its code.
import type { Order } from '@ticketmain/protocol';
import { formatEventDate, formatMoney } from '../state/format';
import type { Venue } from '../state/venue';

/** Where a ticket is, as its card and the calendar's description say it. */
export interface TicketPlace {
  row: string | null;
  number: number | string | null;
  label: string;
}

export function ticketPlace(venue: Venue, seatId: string): TicketPlace {
  const seat = venue.indexById.get(seatId);
  if (seat === undefined) return { row: null, number: null, label: 'General admission' };
  const row = venue.rows[seat] ?? '?';
  const number = venue.numbers[seat] ?? '?';
  return { row, number, label: `Row ${row}, seat ${number}` };
}

interface Props {
  order: Order;
  venue: Venue;
  /** Each ticket's QR code image; none for a cancelled order. */
  qr: ReadonlyMap<string, string>;
  /** False once the order is cancelled: its codes are refused at the gates. */
  live: boolean;
}

export function TicketList({ order, venue, qr, live }: Props) {
  const sectionName = new Map(venue.sections.map((s) => [s.id, s.name]));
  const price = new Map(order.seats.map((s) => [s.seatId, s.price]));
  return (
    <ol className="tickets" aria-label={live ? 'Tickets' : 'Cancelled tickets'}>
      {order.tickets.map((ticket, i) => {
        const where = ticketPlace(venue, ticket.seatId);
        const section = sectionName.get(ticket.sectionId) ?? ticket.sectionId;
        const src = qr.get(ticket.ticketId);
        return (
          <li
            key={ticket.ticketId}
            className={live ? 'ticket' : 'ticket is-void'}
            data-testid="ticket"
            data-ticket-id={ticket.ticketId}
            data-seat-id={ticket.seatId}
            data-status={live ? 'valid' : 'cancelled'}
          >
            <div className="ticket-text">
              <p className="ticket-count">
                Ticket {i + 1} of {order.tickets.length}
              </p>
              <h2>{where.label}</h2>
              <dl className="ticket-facts">
                <div>
                  <dt>Section</dt>
                  <dd>{section}</dd>
                </div>
                {where.row !== null && (
                  <>
                    <div>
                      <dt>Row</dt>
                      <dd>{where.row}</dd>
                    </div>
                    <div>
                      <dt>Seat</dt>
                      <dd>{where.number}</dd>
                    </div>
                  </>
                )}
                <div>
                  <dt>Price</dt>
                  <dd>{formatMoney(price.get(ticket.seatId) ?? 0, order.currency)}</dd>
                </div>
              </dl>
              <p className="ticket-event">
                {venue.name} · {formatEventDate(venue.startsAt)}
              </p>
            </div>
            {live && src !== undefined && (
              <img
                className="ticket-qr"
                src={src}
                width={220}
                height={220}
                alt={`QR code of the ticket for ${where.label}, ${section}: show it at the gate`}
              />
            )}
            {!live && (
              <p className="ticket-void" data-testid="ticket-void">
                <strong>Cancelled</strong> <span>Not valid for entry</span>
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
