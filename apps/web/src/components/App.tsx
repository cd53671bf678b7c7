// The app: routes to the events list or an event's seat map; toasts float above both.
import { parseRoute, usePathname } from '../app/router';
import type { Services } from '../app/services';
import { EventPage } from './EventPage';
import { EventsPage } from './EventsPage';
import { NotFoundPage } from './NotFoundPage';
import { Toasts } from './Toasts';

export function App({ services }: { services: Services }) {
  const route = parseRoute(usePathname());
  return (
    <>
      {route.page === 'events' && <EventsPage services={services} />}
      {route.page === 'event' && (
        <EventPage key={route.eventId} eventId={route.eventId} services={services} />
      )}
      {route.page === 'missing' && <NotFoundPage />}
      <Toasts center={services.toasts} />
    </>
  );
}
