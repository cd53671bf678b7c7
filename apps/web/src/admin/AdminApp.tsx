// The organiser's console at /admin: sign in with the admin token (kept for this tab only), the
// events with their sold / held / free counts, each event's live dashboard (rules, scanner
// tokens, the waiting room) and orders (search, detail, cancellation), and the webhooks.
// Everything goes through the documented admin API. Loaded on demand: buyers never download it.
import { useCallback, useMemo, useState } from 'react';
import './admin.css';
import { AppHeader } from '../components/AppHeader';
import { Link } from '../components/Link';
import { adminClient, saveAdminToken, savedAdminToken } from './admin-session';
import type { TicketmainClient } from '@ticketmain/client';
import { AdminEvents } from './AdminEvents';
import { AdminOrders } from './AdminOrders';
import { AdminWebhooks } from './AdminWebhooks';
import { Dashboard } from './Dashboard';
import { NewEvent } from './NewEvent';
import { OrderDetail } from './OrderDetail';
import { SignIn } from './SignIn';

export type AdminRoute =
  | { view: 'events' }
  | { view: 'new' }
  | { view: 'webhooks' }
  | { view: 'event'; eventId: string }
  | { view: 'orders'; eventId: string }
  | { view: 'order'; orderId: string };

export function parseAdminRoute(pathname: string): AdminRoute {
  const path = pathname.replace(/\/+$/, '');
  if (path === '/admin/new') return { view: 'new' };
  if (path === '/admin/webhooks') return { view: 'webhooks' };
  const event = /^\/admin\/events\/([^/]+)(\/orders)?$/.exec(path);
  if (event?.[1] !== undefined) {
    const eventId = decodeURIComponent(event[1]);
    return event[2] === undefined ? { view: 'event', eventId } : { view: 'orders', eventId };
  }
  const order = /^\/admin\/orders\/([^/]+)$/.exec(path);
  if (order?.[1] !== undefined) return { view: 'order', orderId: decodeURIComponent(order[1]) };
  return { view: 'events' };
}

export default function AdminApp({ pathname }: { pathname: string }) {
  const [token, setToken] = useState(savedAdminToken);
  const signIn = (accepted: string) => {
    saveAdminToken(accepted);
    setToken(accepted);
  };
  const signOut = useCallback(() => {
    saveAdminToken(null);
    setToken(null);
  }, []);
  // One client per token: the pages' effects (polls, the dashboard's socket) keep running.
  const api = useMemo(() => (token === null ? null : adminClient(token)), [token]);
  const route = parseAdminRoute(pathname);
  return (
    <>
      <AppHeader>
        <nav className="admin-nav" aria-label="Console">
          <span className="admin-badge">Organiser</span>
          {token !== null && (
            <>
              <Link to="/admin">Events</Link>
              <Link to="/admin/new">New event</Link>
              <Link to="/admin/webhooks">Webhooks</Link>
              <button type="button" className="link-button" onClick={signOut}>
                Sign out
              </button>
            </>
          )}
        </nav>
      </AppHeader>
      {api === null ? <SignIn onSignedIn={signIn} /> : page(api, route, signOut)}
    </>
  );
}

function page(api: TicketmainClient, route: AdminRoute, signOut: () => void) {
  switch (route.view) {
    case 'events':
      return <AdminEvents api={api} onUnauthenticated={signOut} />;
    case 'new':
      return <NewEvent api={api} />;
    case 'webhooks':
      return <AdminWebhooks api={api} onUnauthenticated={signOut} />;
    case 'event':
      return <Dashboard api={api} eventId={route.eventId} onUnauthenticated={signOut} />;
    case 'orders':
      return <AdminOrders api={api} eventId={route.eventId} onUnauthenticated={signOut} />;
    case 'order':
      return (
        <OrderDetail
          key={route.orderId}
          api={api}
          orderId={route.orderId}
          onUnauthenticated={signOut}
        />
      );
  }
}
