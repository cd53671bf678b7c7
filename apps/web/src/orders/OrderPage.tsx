// An order's own page, at its url (/orders/:orderId?key=…): it opens on any device, after any
// reload, with no session. The event, the seats with their prices, the total and the status,
// one QR code per ticket (the code the gates scan), print and "Add to calendar"; once cancelled,
// when and what was refunded, the tickets marked void, and nothing to print, scan or plan for.
import { useEffect, useState } from 'react';
import { ApiError } from '@ticketmain/client';
import type { Order } from '@ticketmain/protocol';
import { eventPath, navigate, purchasedHere } from '../app/router';
import type { Services } from '../app/services';
import { Confirmation } from '../components/Confirmation';
import { AppHeader } from '../components/AppHeader';
import { useFocusOnNavigation } from '../components/hooks';
import { Link } from '../components/Link';
import { formatEventDate, formatMoney, joinWords } from '../state/format';
import { buildVenue, type Venue } from '../state/venue';
import { calendarFile } from './ics';
import { qrDataUrl } from './qr';
import { ticketPlace, TicketList } from './TicketList';

type Loaded =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; order: Order; venue: Venue; qr: Map<string, string> };

export function OrderPage({ orderId, services }: { orderId: string; services: Services }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let cancelled = false;
    const key = new URLSearchParams(window.location.search).get('key');
    void (async () => {
      try {
        const order = await services.api.getOrder(orderId, key);
        // A cancelled order's codes are refused at the gates: none is drawn to be scanned.
        const codes = isLive(order) ? order.tickets : [];
        const [event, qr] = await Promise.all([
          services.api.getEvent(order.eventId),
          Promise.all(codes.map(async (t) => [t.ticketId, await qrDataUrl(t.code)] as const)),
        ]);
        if (!cancelled)
          setLoaded({ state: 'ready', order, venue: buildVenue(event), qr: new Map(qr) });
      } catch (error) {
        if (cancelled) return;
        // A wrong key reads as an unknown order (the server does not say which).
        if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
          setLoaded({ state: 'missing' });
        } else {
          const message = error instanceof Error ? error.message : 'The order could not be loaded.';
          setLoaded({ state: 'failed', message });
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [orderId, services]);

  if (loaded.state === 'ready') return <OrderView {...loaded} />;
  if (loaded.state === 'missing') return <OrderNotFound />;
  return (
    <>
      <AppHeader />
      <main className="page-message">
        {loaded.state === 'loading' ? (
          <p className="loading">Loading your tickets…</p>
        ) : (
          <>
            <p role="alert">{loaded.message}</p>
            <button type="button" className="button-plain" onClick={() => window.location.reload()}>
              Try again
            </button>
          </>
        )}
      </main>
    </>
  );
}

function OrderNotFound() {
  const heading = useFocusOnNavigation<HTMLHeadingElement>();
  useEffect(() => {
    document.title = 'Order not found · Ticketmain';
  }, []);
  return (
    <>
      <AppHeader />
      <main className="page-message" data-testid="order-not-found">
        <h1 ref={heading} tabIndex={-1}>
          Order not found
        </h1>
        <p>
          There is no order at this address, or its link is incomplete. Open the link from your
          confirmation exactly as it was given: the part after <code>?key=</code> is needed.
        </p>
        <Link to="/">See all events</Link>
      </main>
    </>
  );
}

/** The status as the API says it: only a confirmed order's tickets are valid. */
const isLive = (order: Order): boolean => String(order.status) === 'CONFIRMED';

interface ViewProps {
  order: Order;
  venue: Venue;
  qr: Map<string, string>;
}

function OrderView({ order, venue, qr }: ViewProps) {
  const heading = useFocusOnNavigation<HTMLHeadingElement>();
  // Just bought: the confirmation's heading has the focus, not the page's.
  const [purchased] = useState(() => purchasedHere(order.orderId));
  const status = String(order.status);
  const live = isLive(order);
  useEffect(() => {
    document.title = `${live ? 'Your tickets' : 'Cancelled order'} · ${venue.name} · Ticketmain`;
  }, [venue, live]);
  const addToCalendar = () => {
    const seats = joinWords(order.tickets.map((t) => ticketPlace(venue, t.seatId).label));
    const ics = calendarFile({
      uid: `${order.orderId}@ticketmain`,
      name: venue.name,
      venue: venue.venueName,
      startsAt: venue.startsAt,
      description: `Order ${order.orderId}: ${seats}. Your tickets: ${window.location.href}`,
      url: window.location.href,
    });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([ics], { type: 'text/calendar' }));
    link.download = `${venue.name.replace(/[^\w-]+/g, '-')}.ics`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };

  return (
    <>
      <AppHeader />
      <main className="order-page" data-testid="order" data-order-id={order.orderId}>
        {purchased && (
          <Confirmation
            order={order}
            venue={venue}
            onDone={() => navigate(eventPath(order.eventId))}
          />
        )}
        <header className="order-head">
          <p className={live ? 'order-kicker' : 'order-kicker is-void'}>
            {live ? 'Your tickets' : 'Cancelled order'}
          </p>
          <h1 ref={purchased ? undefined : heading} tabIndex={-1}>
            {venue.name}
          </h1>
          <p className="order-when">
            <time dateTime={venue.startsAt}>{formatEventDate(venue.startsAt)}</time> ·{' '}
            {venue.venueName}
          </p>
          {!live && (
            <p className="order-void" role="note">
              This order is {status.toLowerCase()}: its tickets are no longer valid.
            </p>
          )}
          <dl className="order-facts">
            <div>
              <dt>Status</dt>
              <dd data-testid="order-status" className={live ? 'status-live' : 'status-off'}>
                {live ? 'Confirmed' : status.charAt(0) + status.slice(1).toLowerCase()}
              </dd>
            </div>
            <div>
              <dt>Order number</dt>
              <dd>
                <code>{order.orderId}</code>
              </dd>
            </div>
            <div>
              <dt>Total paid</dt>
              <dd data-testid="order-total">{formatMoney(order.total, order.currency)}</dd>
            </div>
            {order.cancelledAt !== undefined && (
              <div>
                <dt>Cancelled</dt>
                <dd data-testid="order-cancelled-at">
                  <time dateTime={order.cancelledAt}>{formatEventDate(order.cancelledAt)}</time>
                </dd>
              </div>
            )}
            {order.refund !== undefined && (
              <div>
                <dt>Refunded</dt>
                <dd data-testid="order-refund">
                  {formatMoney(order.refund.amount, order.refund.currency)}
                </dd>
              </div>
            )}
          </dl>
          <div className="order-actions">
            {live && (
              <>
                <button type="button" className="button-plain" onClick={addToCalendar}>
                  Add to calendar
                </button>
                <button type="button" className="button-plain" onClick={() => window.print()}>
                  Print tickets
                </button>
              </>
            )}
            <Link to={`/events/${encodeURIComponent(order.eventId)}`}>Back to the seat map</Link>
          </div>
        </header>
        <TicketList order={order} venue={venue} qr={qr} live={live} />
      </main>
    </>
  );
}
