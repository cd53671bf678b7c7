// An event's page: loads the venue, then lays out the header, the map with its legend, and the
// cart. The EventController (socket, reducer, requests) lives as long as the page.
import { useCallback, useEffect, useState } from 'react';
import type { Queue } from '@ticketmain/protocol';
import { EventController } from '../app/event-controller';
import { QueueController } from '../app/queue-controller';
import type { Services } from '../app/services';
import { browserWebSocket, socketUrl } from '../net/seat-socket';
import { buildScene, type Scene } from '../render/scene';
import { formatEventDate } from '../state/format';
import { availableIn } from '../state/ga';
import { queueSettingsOf } from '../state/queue';
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
import { AdmissionBanner, QueueAnnouncer, useQueueView, WaitingRoom } from './WaitingRoom';
import { WaitingList } from './WaitingList';

type Loaded =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; venue: Venue; scene: Scene; queue: Queue | null | undefined };

export function EventPage({ eventId, services }: { eventId: string; services: Services }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let cancelled = false;
    setLoaded({ state: 'loading' });
    services.api.getEvent(eventId).then(
      (event) => {
        if (cancelled) return;
        const venue = buildVenue(event);
        const queue = queueSettingsOf(event);
        setLoaded({ state: 'ready', venue, scene: buildScene(venue), queue });
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
  const { venue, scene, queue } = loaded;
  return <LiveEvent venue={venue} scene={scene} settings={queue} services={services} />;
}

interface LiveEventProps {
  venue: Venue;
  scene: Scene;
  settings: Queue | null | undefined;
  services: Services;
}

interface Controllers {
  events: EventController;
  queue: QueueController;
}

function LiveEvent({ venue, scene, settings, services }: LiveEventProps) {
  const [controllers, setControllers] = useState<Controllers | null>(null);
  const controller = controllers?.events ?? null;
  const heading = useFocusOnNavigation<HTMLHeadingElement>();
  useEffect(() => {
    const events = new EventController({
      services,
      venue,
      socketUrl: socketUrl(window.location),
      createSocket: browserWebSocket,
    });
    const queue = new QueueController({ services, eventId: venue.eventId, settings, events });
    events.start();
    queue.start();
    setControllers({ events, queue });
    return () => {
      queue.dispose();
      events.dispose();
    };
  }, [venue, settings, services]);

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
                <AvailableCount controller={controller} venue={venue} />
                <ViewerCount controller={controller} />
              </span>
            )}
          </p>
        </div>
        {controller && <ConnectionBadge connection={controller.connection} />}
      </AppHeader>
      {controllers && controller && (
        <div className="event-body">
          <EventMain scene={scene} controllers={controllers} services={services} />
          <aside className="event-aside">
            <WaitingList controller={controller} eventId={venue.eventId} services={services} />
            <BestAvailable controller={controller} venue={venue} />
            <Cart controller={controller} venue={venue} clock={services.clock} />
          </aside>
          <BuyBar controller={controller} venue={venue} clock={services.clock} />
        </div>
      )}
    </div>
  );
}

/** The map, behind the waiting room (dimmed, inert) until the buyer's turn. */
function EventMain(props: { scene: Scene; controllers: Controllers; services: Services }) {
  const { scene, services } = props;
  const { events, queue } = props.controllers;
  useQueueView(queue, services.clock);
  const locked = queue.locked(services.clock.now());
  return (
    <main className={locked ? 'event-main is-queued' : 'event-main'}>
      <QueueAnnouncer queue={queue} clock={services.clock} />
      <AdmissionBanner queue={queue} clock={services.clock} />
      <WaitingRoom queue={queue} eventId={queue.eventId} clock={services.clock} />
      <div
        className={locked ? 'map-area is-locked' : 'map-area'}
        inert={locked}
        data-locked={locked}
      >
        <SeatMap scene={scene} controller={events} />
        <StaleBanner connection={events.connection} />
        <Legend scene={scene} />
      </div>
    </main>
  );
}

function countAvailable(state: LiveState): number {
  let n = 0;
  for (let i = 0; i < state.status.length; i++) if (state.status[i] === Status.Available) n++;
  return n;
}

/** Seats and GA places free, of all the venue has: "572 of 572 seats and places available". */
function AvailableCount({ controller, venue }: { controller: EventController; venue: Venue }) {
  const count = useCallback(
    (state: LiveState) =>
      venue.areas.reduce((n, area) => n + availableIn(state.areas, area), countAvailable(state)),
    [venue],
  );
  const available = useThrottled(controller.live, count, 500);
  const total = venue.areas.reduce((n, area) => n + area.capacity, venue.count);
  const what = venue.areas.length > 0 ? 'seats and places' : 'seats';
  return (
    <span className="available-count">
      <span className="available-count-sep"> · </span>
      {available.toLocaleString('en-US')} of {total.toLocaleString('en-US')} {what} available
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
