// The list of events on sale: venue, date and seats left, each linking to its seat map.
import { useEffect, useState } from 'react';
import type { EventSummary } from '@ticketmain/protocol';
import { eventPath } from '../app/router';
import type { Services } from '../app/services';
import { formatEventDate } from '../state/format';
import { AppHeader } from './AppHeader';
import { useFocusOnNavigation } from './hooks';
import { Link } from './Link';

type Loaded =
  { state: 'loading' } | { state: 'failed' } | { state: 'ready'; events: EventSummary[] };

export function EventsPage({ services }: { services: Services }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const heading = useFocusOnNavigation<HTMLHeadingElement>();
  useEffect(() => {
    let cancelled = false;
    const load = () =>
      services.api.listEvents().then(
        (events) => !cancelled && setLoaded({ state: 'ready', events }),
        () =>
          !cancelled && setLoaded((prev) => (prev.state === 'ready' ? prev : { state: 'failed' })),
      );
    void load();
    const timer = setInterval(() => void load(), 15_000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [services]);

  useEffect(() => {
    document.title = 'Events · Ticketmain';
  }, []);

  return (
    <>
      <AppHeader />
      <main className="events-page">
        <h1 ref={heading} tabIndex={-1}>
          On sale now
        </h1>
        {loaded.state === 'loading' && <p className="loading">Loading events…</p>}
        {loaded.state === 'failed' && (
          <p role="alert">The events could not be loaded. Is the server running?</p>
        )}
        {loaded.state === 'ready' && loaded.events.length === 0 && <p>No events on sale yet.</p>}
        {loaded.state === 'ready' && (
          <ul className="event-list">
            {loaded.events.map((event) => (
              <EventCard key={event.id} event={event} />
            ))}
          </ul>
        )}
      </main>
    </>
  );
}

function EventCard({ event }: { event: EventSummary }) {
  const soldOut = event.availableCount === 0;
  const share = event.seatCount === 0 ? 0 : event.availableCount / event.seatCount;
  return (
    <li className="event-card" data-event-id={event.id}>
      <div className="event-card-date">
        <time dateTime={event.startsAt}>{formatEventDate(event.startsAt)}</time>
      </div>
      <h2>
        <Link to={eventPath(event.id)} className="event-card-link">
          {event.name}
        </Link>
      </h2>
      <p className="event-card-venue">{event.venueName}</p>
      <div className="event-card-footer">
        <p className={soldOut ? 'seats-left sold-out' : 'seats-left'} data-testid="seats-left">
          {soldOut
            ? 'Sold out'
            : `${event.availableCount.toLocaleString('en-US')} of ${event.seatCount.toLocaleString('en-US')} seats left`}
        </p>
        <meter min={0} max={1} value={share} low={0.15} optimum={1} aria-hidden="true" />
        <span className="event-card-cta" aria-hidden="true">
          Choose seats →
        </span>
      </div>
    </li>
  );
}
