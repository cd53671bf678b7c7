// The waiting list of a sold-out event: the buyer asks for a number of seats and learns their
// place; seats freed by a cancellation are then held for them by the server, shown in the cart
// with the offer's countdown (here too), and bought from the cart as any hold.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '@ticketmain/client';
import type { WaitlistEntry } from '@ticketmain/protocol';
import type { EventController } from '../app/event-controller';
import type { Services } from '../app/services';
import { formatCountdown } from '../state/cart';
import { Status, type LiveState } from '../state/live';
import { useNow, useThrottled } from './hooks';
import { SeatQuantity, useSeatQuantity } from './SeatQuantity';

/** How often the entry is read again while it may change (waiting or offered). */
const POLL_MS = 2_000;

interface Props {
  controller: EventController;
  eventId: string;
  services: Services;
}

/** Nothing to buy: every seat is held or sold (null before the first snapshot). */
function soldOut(state: LiveState): boolean | null {
  if (state.seq === null) return null;
  for (let i = 0; i < state.status.length; i++) {
    if (state.status[i] === Status.Available) return false;
  }
  return true;
}

type Known = { entry: WaitlistEntry | null } | null;

export function WaitingList({ controller, eventId, services }: Props) {
  const id = useId();
  const full = useThrottled(controller.live, soldOut, 500);
  const [known, setKnown] = useState<Known>(null);
  const [error, setError] = useState<string | null>(null);
  const status = known?.entry?.status;
  const offerShown = useRef(false);

  const read = useCallback(async () => {
    try {
      const entry = await services.api.waitlistEntry(eventId);
      // A new offer's seats are the session's holds: the cart shows them, until its end.
      if (entry.status === 'offered' && !offerShown.current) {
        offerShown.current = true;
        controller.offered(entry.holds);
      }
      setKnown({ entry });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'WAITLIST_NOT_JOINED') setKnown({ entry: null });
    }
  }, [controller, eventId, services]);

  useEffect(() => {
    void read();
  }, [read]);
  useEffect(() => {
    if (status !== 'waiting' && status !== 'offered') return;
    const timer = setInterval(() => void read(), POLL_MS);
    return () => clearInterval(timer);
  }, [status, read]);

  if (known === null) return null;
  const entry = known.entry;
  if (entry === null && full !== true) return null;
  return (
    <section className="waitlist" data-testid="waitlist" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{entry === null ? 'Sold out' : 'Waiting list'}</h2>
      {entry === null ? (
        <JoinForm
          controller={controller}
          onJoin={async (quantity) => {
            setError(null);
            try {
              setKnown({ entry: await services.api.joinWaitlist(eventId, { quantity }) });
            } catch (err) {
              setError(
                err instanceof ApiError && err.code === 'SEATS_AVAILABLE'
                  ? 'Seats have just come back: pick them on the map.'
                  : 'Joining the waiting list failed. Try again.',
              );
            }
          }}
        />
      ) : (
        <EntryView entry={entry} services={services} />
      )}
      {error !== null && (
        <p role="alert" className="waitlist-error">
          {error}
        </p>
      )}
    </section>
  );
}

function JoinForm(props: {
  controller: EventController;
  onJoin: (quantity: number) => Promise<void>;
}) {
  const [count, setQuantity, seatLimit] = useSeatQuantity(props.controller);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    await props.onJoin(count);
    setBusy(false);
  }

  return (
    <>
      <p>Every seat is taken. Join the waiting list: seats that come back go to it first.</p>
      <form className="best-form" onSubmit={(e) => void submit(e)}>
        <SeatQuantity
          name="waitlist-quantity"
          value={count}
          limit={seatLimit}
          onChange={setQuantity}
        />
        <button type="submit" className="best-button" disabled={busy} aria-busy={busy}>
          Join the waiting list
        </button>
      </form>
    </>
  );
}

function EntryView({ entry, services }: { entry: WaitlistEntry; services: Services }) {
  const seats = entry.quantity === 1 ? '1 seat' : `${entry.quantity} seats`;
  switch (entry.status) {
    case 'waiting':
      return (
        <p role="status" data-testid="waitlist-position">
          You are number <strong>{entry.position}</strong> on the waiting list for {seats}. When
          seats come back, we hold them for you here.
        </p>
      );
    case 'offered':
      return <Offer entry={entry} services={services} />;
    case 'purchased':
      return <p role="status">You bought the seats the waiting list held for you.</p>;
    case 'expired':
      return (
        <p role="status">
          The seats held for you were not bought in time and went to the next person waiting.
        </p>
      );
  }
}

function Offer({ entry, services }: { entry: WaitlistEntry; services: Services }) {
  useNow(250);
  const endsAt = Math.min(...entry.holds.map((hold) => Date.parse(hold.expiresAt)));
  const remaining = Math.max(0, endsAt - services.clock.now());
  const seats = entry.holds.length === 1 ? 'A seat is' : `${entry.holds.length} seats are`;
  return (
    <div className="waitlist-offer" data-testid="waitlist-offer">
      <p role="status">{seats} held for you. Buy them in your cart before the offer ends.</p>
      <p role="timer" className="countdown" data-testid="waitlist-countdown">
        <span>Offer ends in</span>
        <time dateTime={`PT${Math.ceil(remaining / 1000)}S`}>{formatCountdown(remaining)}</time>
      </p>
    </div>
  );
}
