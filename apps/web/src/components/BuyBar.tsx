// On a phone the cart is below the map: this bar keeps what the buyer holds, its total, the time
// left and Buy at the bottom of the screen, always in reach of the thumb.
import { useMemo } from 'react';
import type { EventController } from '../app/event-controller';
import type { ServerClock } from '../net/clock';
import { cartItems, cartTotal, earliestExpiry, formatCountdown } from '../state/cart';
import { formatMoney } from '../state/format';
import { allExpiries, placeGroups, placesTotal } from '../state/ga';
import { WARN_MS } from '../state/hold-timer';
import type { LiveState } from '../state/live';
import type { Venue } from '../state/venue';
import { useNow, useObservable, useSelected } from './hooks';

interface Props {
  controller: EventController;
  venue: Venue;
  clock: ServerClock;
}

export function BuyBar({ controller, venue, clock }: Props) {
  const mine = useSelected(controller.live, (s) => s.mine);
  const pending = useSelected(controller.live, (s) => s.pending);
  const checkout = useObservable(controller.checkout);
  const places = useSelected(controller.live, (s) => s.places);
  const items = useMemo(() => cartItems(venue, mine, pending), [venue, mine, pending]);
  const expiries = useMemo(() => allExpiries(mine, places), [mine, places]);
  const count = items.length + places.size;
  if (count === 0 || checkout.phase === 'confirmed') return null;
  const placing = checkout.phase === 'placing';
  const confirmed = places.size > 0 || items.some((item) => item.expiresAt !== null);
  const word = places.size > 0 ? 'ticket' : 'seat';
  const seats = `${count} ${count === 1 ? word : word + 's'}`;
  const total = formatMoney(
    cartTotal(items) + placesTotal(placeGroups(venue, places)),
    venue.currency,
  );
  return (
    <section className="buy-bar" data-testid="buy-bar" aria-label="Checkout">
      <p className="buy-bar-summary">
        <strong>
          {seats} · {total}
        </strong>
        <TimeLeft mine={expiries} clock={clock} />
      </p>
      <button
        type="button"
        className="buy buy-bar-button"
        onClick={() => void controller.buy()}
        disabled={placing || !confirmed}
        aria-busy={placing}
        aria-label={`Buy ${seats} for ${total}`}
      >
        {placing ? 'Buying…' : 'Buy'}
      </button>
    </section>
  );
}

function TimeLeft({ mine, clock }: { mine: LiveState['mine']; clock: ServerClock }) {
  useNow(250);
  const expiresAt = earliestExpiry(mine);
  if (expiresAt === null) return <span className="buy-bar-time">Holding…</span>;
  const remaining = Math.max(0, expiresAt - clock.now());
  return (
    <span className={remaining <= WARN_MS ? 'buy-bar-time is-warn' : 'buy-bar-time'}>
      held for{' '}
      <time dateTime={`PT${Math.ceil(remaining / 1000)}S`}>{formatCountdown(remaining)}</time>
    </span>
  );
}
