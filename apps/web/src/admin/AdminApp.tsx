// The organiser's console at /admin: sign in with the admin token (kept for this tab only), the
// events with their sold / held / free counts, and each event's live dashboard. Everything goes
// through the documented admin API. Loaded on demand: buyers never download it.
import { useCallback, useMemo, useState } from 'react';
import './admin.css';
import { AppHeader } from '../components/AppHeader';
import { Link } from '../components/Link';
import { adminClient, saveAdminToken, savedAdminToken } from './admin-session';
import { AdminEvents } from './AdminEvents';
import { Dashboard } from './Dashboard';
import { NewEvent } from './NewEvent';
import { SignIn } from './SignIn';

export type AdminRoute = { view: 'events' } | { view: 'new' } | { view: 'event'; eventId: string };

export function parseAdminRoute(pathname: string): AdminRoute {
  if (/^\/admin\/new\/?$/.test(pathname)) return { view: 'new' };
  const match = /^\/admin\/events\/([^/]+)\/?$/.exec(pathname);
  if (match?.[1] !== undefined) return { view: 'event', eventId: decodeURIComponent(match[1]) };
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
              <button type="button" className="link-button" onClick={signOut}>
                Sign out
              </button>
            </>
          )}
        </nav>
      </AppHeader>
      {api === null ? (
        <SignIn onSignedIn={signIn} />
      ) : route.view === 'events' ? (
        <AdminEvents api={api} onUnauthenticated={signOut} />
      ) : route.view === 'new' ? (
        <NewEvent api={api} />
      ) : (
        <Dashboard api={api} eventId={route.eventId} onUnauthenticated={signOut} />
      )}
    </>
  );
}
