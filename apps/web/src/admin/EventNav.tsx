// The pages of one event in the console: its dashboard and its orders.
import { Link } from '../components/Link';

export function eventAdminPath(eventId: string, page: 'dashboard' | 'orders' = 'dashboard') {
  const base = `/admin/events/${encodeURIComponent(eventId)}`;
  return page === 'orders' ? `${base}/orders` : base;
}

export function EventNav({
  eventId,
  current,
}: {
  eventId: string;
  current: 'dashboard' | 'orders';
}) {
  const pages = [
    ['dashboard', 'Dashboard'],
    ['orders', 'Orders'],
  ] as const;
  return (
    <nav className="admin-tabs" aria-label="Event">
      {pages.map(([page, label]) => (
        <Link
          key={page}
          to={eventAdminPath(eventId, page)}
          aria-current={page === current ? 'page' : undefined}
        >
          {label}
        </Link>
      ))}
    </nav>
  );
}
