// The organiser's console at /admin: sign in with the admin token (kept for this tab only), the
// events with their sold / held / free counts, and each event's live dashboard. Everything goes
// through the documented admin API. Loaded on demand: buyers never download it.
import { useState } from 'react';
import './admin.css';
import { AppHeader } from '../components/AppHeader';
import { Link } from '../components/Link';
import { adminClient, saveAdminToken, savedAdminToken } from './admin-session';
import { AdminEvents } from './AdminEvents';
import { Dashboard } from './Dashboard';
import { SignIn } from './SignIn';

export type AdminRoute = { view: 'events' } | { view: 'event'; eventId: string };

export function parseAdminRoute(pathname: string): AdminRoute {
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
  const signOut = () => {
    saveAdminToken(null);
    setToken(null);
  };
  const route = parseAdminRoute(pathname);
  return (
    <>
      <AppHeader>
        <nav className="admin-nav" aria-label="Console">
          <span className="admin-badge">Organiser</span>
          {token !== null && (
            <>
              <Link to="/admin">Events</Link>
              <button type="button" className="link-button" onClick={signOut}>
                Sign out
              </button>
            </>
          )}
        </nav>
      </AppHeader>
      {token === null ? (
        <SignIn onSignedIn={signIn} />
      ) : route.view === 'events' ? (
        <AdminEvents api={adminClient(token)} onUnauthenticated={signOut} />
      ) : (
        <Dashboard api={adminClient(token)} eventId={route.eventId} onUnauthenticated={signOut} />
      )}
    </>
  );
}
