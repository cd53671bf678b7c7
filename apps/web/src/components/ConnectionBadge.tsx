// The live-connection indicator: live, connecting, reconnecting or outdated, in words and colour;
// and over the map, what a connection that is down or outdated means for the buyer.
import type { ConnectionStatus } from '../net/seat-socket';
import type { Observable } from '../state/observable';
import { useObservable } from './hooks';

const TITLES: Record<ConnectionStatus, string> = {
  live: 'Seat changes arrive live',
  connecting: 'Connecting to live seat updates',
  reconnecting: 'Connection lost; reconnecting. The map may be out of date.',
  outdated: 'The server runs a newer version of Ticketmain; reload the page.',
};

export function ConnectionBadge({ connection }: { connection: Observable<ConnectionStatus> }) {
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
      {status}
    </span>
  );
}

/** Over the map while the connection is down (what is shown may be out of date) or outdated. */
export function StaleBanner({ connection }: { connection: Observable<ConnectionStatus> }) {
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
  if (status !== 'reconnecting') return null;
  return (
    <p className="stale-banner">
      Reconnecting… seat states may be out of date. Holding and buying still work.
    </p>
  );
}
