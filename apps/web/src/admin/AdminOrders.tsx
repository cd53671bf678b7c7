// An event's orders in the console: the latest ones, or those whose id or buyer e-mail starts
// with what the organiser types (GET /api/admin/events/:eventId/orders?q=), each linking to its
// detail, where it can be cancelled.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, type TicketmainClient } from '@ticketmain/client';
import { useFocusOnNavigation } from '../components/hooks';
import { Link } from '../components/Link';
import { formatEventDate, formatMoney } from '../state/format';
import { searchOrders, type OrderSummary } from './admin-api';
import { isUnauthenticated } from './admin-session';
import { ColumnHeads } from './ColumnHeads';
import { EventNav } from './EventNav';
import { useEventName } from './use-event-name';
import { ScrollBox } from './ScrollBox';

interface Props {
  api: TicketmainClient;
  eventId: string;
  onUnauthenticated: () => void;
}

type Found = { query: string; orders: OrderSummary[] };

export function AdminOrders({ api, eventId, onUnauthenticated }: Props) {
  const id = useId();
  const heading = useFocusOnNavigation<HTMLHeadingElement>();
  const name = useEventName(api, eventId, 'Orders');
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Found | null>(null);
  const [problem, setProblem] = useState('');

  const run = useCallback(
    async (q: string) => {
      try {
        setFound({ query: q.trim(), orders: await searchOrders(api, eventId, q) });
        setProblem('');
      } catch (error) {
        if (isUnauthenticated(error)) onUnauthenticated();
        else setProblem(error instanceof ApiError ? error.detail : 'The search failed; try again.');
      }
    },
    [api, eventId, onUnauthenticated],
  );
  useEffect(() => {
    void run('');
  }, [run]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(query);
  };

  return (
    <main className="admin-page" data-testid="admin-orders">
      <p className="admin-crumbs">
        <Link to="/admin">Events</Link> <span aria-hidden="true">›</span> {name}
      </p>
      <h1 ref={heading} tabIndex={-1}>
        Orders
      </h1>
      <EventNav eventId={eventId} current="orders" />
      <form className="admin-card admin-search" role="search" onSubmit={submit}>
        <label htmlFor={`${id}-q`}>Order id or buyer e-mail</label>
        <div className="admin-secret-row">
          <input
            id={`${id}-q`}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            maxLength={254}
            aria-describedby={`${id}-help`}
          />
          <button type="submit" className="admin-primary">
            Search
          </button>
        </div>
        <p id={`${id}-help`} className="admin-help">
          The start of either is enough; empty shows the latest orders.
        </p>
      </form>
      {problem !== '' && (
        <p role="alert" className="admin-error">
          {problem}
        </p>
      )}
      {found === null ? <p className="loading">Loading orders…</p> : <Results found={found} />}
    </main>
  );
}

function Results({ found }: { found: Found }) {
  const { orders, query } = found;
  const caption =
    query === ''
      ? `Latest orders (${orders.length})`
      : `${orders.length === 0 ? 'No' : orders.length} order${orders.length === 1 ? '' : 's'} for “${query}”`;
  return (
    <ScrollBox label="Orders found">
      <table className="admin-table" data-testid="order-results">
        <caption aria-live="polite">{caption}</caption>
        <ColumnHeads
          columns={[
            { label: 'Order' },
            { label: 'Buyer' },
            { label: 'Seats' },
            { label: 'Total', numeric: true },
            { label: 'Status' },
            { label: 'Placed', className: 'admin-events-date' },
          ]}
        />
        <tbody>
          {orders.map((order) => (
            <tr key={order.orderId} data-order-id={order.orderId}>
              <th scope="row">
                <Link
                  to={`/admin/orders/${order.orderId}`}
                  aria-label={`Order ${order.orderId}`}
                  className="admin-mono"
                >
                  {order.orderId.slice(0, 8)}
                </Link>
              </th>
              <td>
                {order.buyer?.name ?? '—'}
                {order.buyer !== undefined && (
                  <span className="admin-sub">{order.buyer.email}</span>
                )}
              </td>
              <td>{order.seatIds.join(', ')}</td>
              <td className="num">{formatMoney(order.total, order.currency)}</td>
              <td>
                <OrderState status={order.status} />
              </td>
              <td className="admin-events-date">
                <time dateTime={order.createdAt}>{formatEventDate(order.createdAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}

export function OrderState({ status }: { status: OrderSummary['status'] }) {
  const cancelled = status === 'CANCELLED';
  return (
    <span className={cancelled ? 'state sold-out' : 'state on-sale'} data-field="status">
      {cancelled ? 'Cancelled' : 'Confirmed'}
    </span>
  );
}
