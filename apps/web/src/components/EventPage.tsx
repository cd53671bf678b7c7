// An event's page: loads the venue, then lays out the header, the map with its legend, and the
// cart. The EventController (socket, reducer, requests) lives as long as the page.
import { useEffect, useState } from 'react';
import { EventController } from '../app/event-controller';
import type { Services } from '../app/services';
import { browserWebSocket, socketUrl } from '../net/seat-socket';
import { buildScene, type Scene } from '../render/scene';
import { formatEventDate } from '../state/format';
import { Status, type LiveState } from '../state/live';
import { buildVenue, type Venue } from '../state/venue';
import { AppHeader } from './AppHeader';
import { BestAvailable } from './BestAvailable';
import { BuyBar } from './BuyBar';
import { Cart } from './Cart';
import { ConnectionBadge, StaleBanner } from './ConnectionBadge';
import { useFocusOnNavigation, useObservable, useThrottled } from './hooks';
import { Legend } from './Legend';
import { Link } from './Link';
import { SeatMap } from './seat-map/SeatMap';

type Loaded =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; venue: Venue; scene: Scene };

export function EventPage({ eventId, services }: { eventId: string; services: Services }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let cancelled = false;
    setLoaded({ state: 'loading' });
    services.api.getEvent(eventId).then(
      (event) => {
        if (cancelled) return;
        const venue = buildVenue(event);
        setLoaded({ state: 'ready', venue, scene: buildScene(venue) });
      },
      (error: unknown) => {
        if (cancelled) return;
        const message = error instanceof Error ? error.message : 'The event could not be loaded.';
        setLoaded({ state: 'failed', message });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [eventId, services]);

  if (loaded.state !== 'ready') {
    return (
      <>
        <AppHeader />
        <main className="page-message">
          {loaded.state === 'loading' ? (
            <p className="loading">Loading the seat map…</p>
          ) : (
            <>
              <p role="alert">{loaded.message}</p>
              <Link to="/">Back to all events</Link>
            </>
          )}
        </main>
      </>
    );
  }
  return <LiveEvent venue={loaded.venue} scene={loaded.scene} services={services} />;
}

function LiveEvent({ venue, scene, services }: { venue: Venue; scene: Scene; services: Services }) {
  const [controller, setController] = useState<EventController | null>(null);
  const heading = useFocusOnNavigation<HTMLHeadingElement>();
  useEffect(() => {
    const created = new EventController({
      services,
      venue,
      socketUrl: socketUrl(window.location),
      createSocket: browserWebSocket,
    });
    created.start();
    setController(created);
    return () => created.dispose();
  }, [venue, services]);

  useEffect(() => {
    document.title = `${venue.name} · Ticketmain`;
  }, [venue]);

  return (
    <div className="event-page">
      <AppHeader>
        <div className="event-title">
          <h1 ref={heading} tabIndex={-1}>
            {venue.name}
          </h1>
          <p>
            {venue.venueName} ·{' '}
            <time dateTime={venue.startsAt}>{formatEventDate(venue.startsAt)}</time>
            {controller && (
              <span className="live-counts">
                <AvailableCount controller={controller} total={venue.count} />
                <ViewerCount controller={controller} />
              </span>
            )}
          </p>
        </div>
        {controller && <ConnectionBadge connection={controller.connection} />}
      </AppHeader>
      {controller && (
        <div className="event-body">
          <main className="event-main">
            <SeatMap scene={scene} controller={controller} />
            <StaleBanner connection={controller.connection} />
            <Legend scene={scene} />
          </main>
          <aside className="event-aside">
            <BestAvailable controller={controller} venue={venue} />
            <Cart controller={controller} venue={venue} clock={services.clock} />
          </aside>
          <BuyBar controller={controller} venue={venue} clock={services.clock} />
        </div>
      )}
    </div>
  );
}

function countAvailable(state: LiveState): number {
  let n = 0;
  for (let i = 0; i < state.status.length; i++) if (state.status[i] === Status.Available) n++;
  return n;
}

function AvailableCount({ controller, total }: { controller: EventController; total: number }) {
  const available = useThrottled(controller.live, countAvailable, 500);
  return (
    <span className="available-count">
      <span className="available-count-sep"> · </span>
      {available.toLocaleString('en-US')} of {total.toLocaleString('en-US')} seats available
    </span>
  );
}

/** "12 people looking": a count the server sends per event, never who they are. */
function ViewerCount({ controller }: { controller: EventController }) {
  const viewers = useObservable(controller.viewers);
  // Alone on the page (or not yet told): nothing worth a line.
  if (viewers === null || viewers < 2) return null;
  return (
    <span className="viewer-count" data-testid="viewers">
      {' · '}
      {viewers.toLocaleString('en-US')} people looking
    </span>
  );
}
