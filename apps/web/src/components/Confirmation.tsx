// The order confirmation: order id, seats and total, on top of the order's page right after the
// purchase; its heading takes the focus, as the cart's did before.
import { useEffect, useRef } from 'react';
import type { Order } from '@ticketmain/protocol';
import { formatMoney, seatLabel } from '../state/format';
import type { Venue } from '../state/venue';

interface Props {
  order: Order;
  venue: Venue;
  onDone: () => void;
}

export function Confirmation({ order, venue, onDone }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
    // On a phone the cart is below the map: bring the whole confirmation into view.
    const top = box.current?.getBoundingClientRect().top ?? 0;
    if (top > window.innerHeight / 2) box.current?.scrollIntoView({ block: 'start' });
  }, [order.orderId]);
  const sectionName = new Map(venue.sections.map((s) => [s.id, s.name]));
  const label = (seatId: string, sectionId: string) => {
    const seat = venue.indexById.get(seatId);
    if (seat !== undefined) return seatLabel(venue, seat);
    // A general-admission place has no row or number; its id is the server's own.
    return venue.areaIds?.has(sectionId) === true ? 'General admission' : seatId;
  };
  return (
    <div
      ref={box}
      className="confirmation"
      data-testid="confirmation"
      data-order-id={order.orderId}
    >
      <h2 ref={heading} tabIndex={-1}>
        <span className="confirmation-check" aria-hidden="true">
          ✓
        </span>
        Order confirmed
      </h2>
      <p className="confirmation-id">
        Order number <code>{order.orderId}</code>
      </p>
      <ul className="cart-items">
        {order.seats.map((seat) => (
          <li key={seat.seatId} data-seat-id={seat.seatId}>
            <span className="item-label">{label(seat.seatId, seat.sectionId)}</span>
            <span className="item-section">
              {sectionName.get(seat.sectionId) ?? seat.sectionId}
            </span>
            <span className="item-price">{formatMoney(seat.price, order.currency)}</span>
          </li>
        ))}
      </ul>
      <p className="cart-total">
        <span>Total paid</span>
        <strong>{formatMoney(order.total, order.currency)}</strong>
      </p>
      <button type="button" className="button-secondary" onClick={onDone}>
        Choose more seats
      </button>
    </div>
  );
}
