// The cart panel: held seats with section and price, the total, the hold countdown, and Buy;
// a placed order takes the buyer to its page.
import { useEffect, useMemo } from 'react';
import type { EventController } from '../app/event-controller';
import type { ServerClock } from '../net/clock';
import { cartItems, cartTotal, type CartItem } from '../state/cart';
import { formatMoney } from '../state/format';
import { allExpiries, placeGroups, placesTotal, type PlaceGroup } from '../state/ga';
import { seatLimitText } from '../state/limits';
import type { Venue } from '../state/venue';
import { navigate, orderPagePath } from '../app/router';
import { Countdown } from './Countdown';
import { HoldWarning } from './HoldWarning';
import { useObservable, useSelected } from './hooks';

interface Props {
  controller: EventController;
  venue: Venue;
  clock: ServerClock;
}

export function Cart({ controller, venue, clock }: Props) {
  const mine = useSelected(controller.live, (s) => s.mine);
  const pending = useSelected(controller.live, (s) => s.pending);
  const bought = useSelected(controller.live, (s) => s.soldToMe.size);
  const checkout = useObservable(controller.checkout);
  const seatLimit = useObservable(controller.seatLimit);
  const places = useSelected(controller.live, (s) => s.places);
  const items = useMemo(() => cartItems(venue, mine, pending), [venue, mine, pending]);
  const groups = useMemo(() => placeGroups(venue, places), [venue, places]);
  const expiries = useMemo(() => allExpiries(mine, places), [mine, places]);
  const placing = checkout.phase === 'placing';
  const confirmed = items.filter((item) => item.expiresAt !== null).length + places.size;
  const count = items.length + places.size;
  const total = formatMoney(cartTotal(items) + placesTotal(groups), venue.currency);

  // The confirmation is the order's own page (its QR codes; the address that opens anywhere).
  useEffect(() => {
    if (checkout.phase !== 'confirmed') return;
    const { order } = checkout;
    controller.dismissConfirmation();
    navigate(orderPagePath(order.url), { purchased: order.orderId });
  }, [checkout, controller]);

  return (
    <section className="cart" data-testid="cart" aria-labelledby="cart-title">
      <h2 id="cart-title">Your seats</h2>
      <p className="cart-limit" data-testid="seat-limit">
        {seatLimitText(seatLimit)}
      </p>
      <HoldWarning controller={controller} clock={clock} />
      {count === 0 ? (
        <p className="cart-empty">
          Pick a seat on the map to hold it for a few minutes while you check out.
        </p>
      ) : (
        <>
          <Countdown mine={expiries} clock={clock} />
          <ul className="cart-items" aria-label="Held seats">
            {items.map((item) => (
              <CartLine key={item.seat} item={item} venue={venue} controller={controller} />
            ))}
            {groups.map((group) => (
              <PlaceLine
                key={group.sectionId}
                group={group}
                venue={venue}
                controller={controller}
              />
            ))}
          </ul>
          <p className="cart-total">
            <span>
              Total · {count}{' '}
              {count === 1 ? ticketWord(places.size) : ticketWord(places.size) + 's'}
            </span>
            <strong>{total}</strong>
          </p>
          <button
            type="button"
            className="buy"
            onClick={() => void controller.buy()}
            disabled={placing || confirmed === 0}
            aria-busy={placing}
            aria-describedby={placing ? 'buy-status' : undefined}
          >
            Buy
          </button>
          {placing && (
            <p id="buy-status" className="buy-status" role="status">
              Placing your order…
            </p>
          )}
        </>
      )}
      {bought > 0 && (
        <p className="cart-bought">
          <span className="star" aria-hidden="true">
            ★
          </span>
          You have {bought} {bought === 1 ? 'ticket' : 'tickets'} for this event.
        </p>
      )}
    </section>
  );
}

function CartLine({
  item,
  venue,
  controller,
}: {
  item: CartItem;
  venue: Venue;
  controller: EventController;
}) {
  return (
    <li data-seat-id={item.seatId} className={item.expiresAt === null ? 'is-pending' : undefined}>
      <span className="item-label">{item.label}</span>
      <span className="item-section">
        {item.expiresAt === null ? 'Holding…' : item.sectionName}
      </span>
      <span className="item-price">{formatMoney(item.price, venue.currency)}</span>
      <button
        type="button"
        className="item-remove"
        aria-label={`Release ${item.label}`}
        title="Release this seat"
        disabled={item.expiresAt === null}
        onClick={() => controller.toggle(item.seat)}
      >
        ×
      </button>
    </li>
  );
}

/** "seat" for seats only; "ticket" once general-admission places are in the cart. */
function ticketWord(places: number): string {
  return places > 0 ? 'ticket' : 'seat';
}

/** The places held in one general-admission area: one line, released together. */
function PlaceLine({
  group,
  venue,
  controller,
}: {
  group: PlaceGroup;
  venue: Venue;
  controller: EventController;
}) {
  return (
    <li data-section-id={group.sectionId} data-place-ids={group.placeIds.join(' ')}>
      <span className="item-label">{group.label}</span>
      <span className="item-section">General admission</span>
      <span className="item-price">
        {formatMoney(group.price * group.placeIds.length, venue.currency)}
      </span>
      <button
        type="button"
        className="item-remove"
        aria-label={`Release ${group.label}`}
        title="Release these places"
        onClick={() => void controller.releasePlaces(group.sectionId)}
      >
        ×
      </button>
    </li>
  );
}
