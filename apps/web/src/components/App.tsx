// The app: routes to the events list, an event's seat map, an order's page, or (loaded on
// demand) the gates' scanner and the organiser's console; toasts float above them.
import { lazy, Suspense } from 'react';
import { parseRoute, usePathname } from '../app/router';
import type { Services } from '../app/services';
import { EventPage } from './EventPage';
import { EventsPage } from './EventsPage';
import { NotFoundPage } from './NotFoundPage';
import { OrderPage } from '../orders/OrderPage';
import { Toasts } from './Toasts';

const AdminApp = lazy(() => import('../admin/AdminApp'));
const ScanPage = lazy(() => import('../scan/ScanPage'));

export function App({ services }: { services: Services }) {
  const pathname = usePathname();
  const route = parseRoute(pathname);
  return (
    <>
      {route.page === 'events' && <EventsPage services={services} />}
      {route.page === 'event' && (
        <EventPage key={route.eventId} eventId={route.eventId} services={services} />
      )}
      {route.page === 'order' && (
        <OrderPage key={route.orderId} orderId={route.orderId} services={services} />
      )}
      {route.page === 'scan' && (
        <Suspense fallback={<p className="loading page-message">Loading the scanner…</p>}>
          <ScanPage />
        </Suspense>
      )}
      {route.page === 'admin' && (
        <Suspense fallback={<p className="loading page-message">Loading the console…</p>}>
          <AdminApp pathname={pathname} />
        </Suspense>
      )}
      {route.page === 'missing' && <NotFoundPage />}
      <Toasts center={services.toasts} />
    </>
  );
}
