// The live-connection indicator: live, connecting, reconnecting, offline or outdated, in words and
// colour; and over the map, what a connection that is down or outdated means for the buyer.
import type { BuyerConnection } from '../state/connection';
import type { Observable } from '../state/observable';
import { useObservable } from './hooks';

const LABELS: Record<BuyerConnection, string> = {
  live: 'Live',
  connecting: 'Connecting',
  reconnecting: 'Reconnecting',
  offline: 'Offline — reconnecting',
  outdated: 'Outdated',
};

const TITLES: Record<BuyerConnection, string> = {
  live: 'Seat changes arrive live',
  offline: 'No network; reconnecting. Seats cannot be held or released until you are back.',
  connecting: 'Connecting to live seat updates',
  reconnecting: 'Connection lost; reconnecting. The map may be out of date.',
  outdated: 'The server runs a newer version of Ticketmain; reload the page.',
};

export function ConnectionBadge({ connection }: { connection: Observable<BuyerConnection> }) {
  const status = useObservable(connection);
  return (
    <span
      className={`connection connection-${status}`}
      data-testid="connection"
      data-status={status}
      role="status"
      title={TITLES[status]}
    >
      <span className="connection-dot" aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}

/** Over the map while the connection is down (what is shown may be out of date) or outdated. */
export function StaleBanner({ connection }: { connection: Observable<BuyerConnection> }) {
  const status = useObservable(connection);
  if (status === 'outdated') {
    return (
      <p className="stale-banner stale-banner-outdated" role="alert" data-testid="outdated">
        Ticketmain has been updated. Please{' '}
        <button type="button" onClick={() => window.location.reload()}>
          reload the page
        </button>
        .
      </p>
    );
  }
  if (status === 'offline') {
    return (
      <p className="stale-banner" data-testid="stale-banner">
        You are offline. Seats may be out of date, and holds cannot be changed until you are back.
      </p>
    );
  }
  if (status !== 'reconnecting') return null;
  return (
    <p className="stale-banner" data-testid="stale-banner">
      Reconnecting… seat states may be out of date. Holding and buying still work.
    </p>
  );
}
