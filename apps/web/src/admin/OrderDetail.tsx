// One order in the console (GET /api/admin/orders/:orderId): its buyer, seats, tickets, total and
// state, and its cancellation with a refund (POST /api/admin/orders/:orderId/cancel), which frees
// its seats at once and voids its tickets at the gates.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, type TicketmainClient } from '@ticketmain/client';
import { useFocusOnNavigation } from '../components/hooks';
import { Link } from '../components/Link';
import { formatEventDate, formatMoney } from '../state/format';
import { adminOrder, cancelOrder, type AdminOrder } from './admin-api';
import { isUnauthenticated } from './admin-session';
import { ColumnHeads } from './ColumnHeads';
import { eventAdminPath } from './EventNav';
import { OrderState } from './AdminOrders';
import { ScrollBox } from './ScrollBox';

interface Props {
  api: TicketmainClient;
  orderId: string;
  onUnauthenticated: () => void;
}

export function OrderDetail({ api, orderId, onUnauthenticated }: Props) {
  const heading = useFocusOnNavigation<HTMLHeadingElement>();
  const [order, setOrder] = useState<AdminOrder | null>(null);
  const [problem, setProblem] = useState('');
  const [notice, setNotice] = useState('');
  const cancelled = (next: AdminOrder) => {
    setOrder(next);
    setNotice('The order is cancelled: its seats are back on sale, its tickets void.');
  };
  useEffect(() => {
    document.title = `Order ${orderId.slice(0, 8)} · Console · Ticketmain`;
    adminOrder(api, orderId).then(setOrder, (error: unknown) => {
      if (isUnauthenticated(error)) onUnauthenticated();
      else if (error instanceof ApiError && error.status === 404) setProblem('No such order.');
      else setProblem('The order could not be loaded; reload to try again.');
    });
  }, [api, orderId, onUnauthenticated]);

  return (
    <main className="admin-page" data-testid="order-detail">
      <p className="admin-crumbs">
        <Link to="/admin">Events</Link> <span aria-hidden="true">›</span>{' '}
        {order !== null && (
          <>
            <Link to={eventAdminPath(order.eventId, 'orders')}>Orders</Link>{' '}
            <span aria-hidden="true">›</span>
          </>
        )}
      </p>
      <h1 ref={heading} tabIndex={-1}>
        Order <span className="admin-mono">{orderId.slice(0, 8)}</span>
      </h1>
      {problem !== '' && (
        <p role="alert" className="admin-error">
          {problem}
        </p>
      )}
      {order === null ? (
        problem === '' && <p className="loading">Loading the order…</p>
      ) : (
        <>
          <Facts order={order} />
          <Seats order={order} />
          {order.status === 'CONFIRMED' && (
            <Cancel
              api={api}
              order={order}
              onCancelled={cancelled}
              onUnauthenticated={onUnauthenticated}
            />
          )}
          {/* Last, where the cancel form was; in the page from the start, so it is announced. */}
          <p role="status" className="admin-help">
            {notice}
          </p>
        </>
      )}
    </main>
  );
}

function Facts({ order }: { order: AdminOrder }) {
  const money = (cents: number) => formatMoney(cents, order.currency);
  return (
    <dl className="admin-facts" data-testid="order-facts">
      <div>
        <dt>Status</dt>
        <dd>
          <OrderState status={order.status} />
        </dd>
      </div>
      <div>
        <dt>Order id</dt>
        <dd className="admin-mono">{order.orderId}</dd>
      </div>
      <div>
        <dt>Placed</dt>
        <dd>{formatEventDate(order.createdAt)}</dd>
      </div>
      <div>
        <dt>Buyer</dt>
        <dd data-field="buyer">
          {order.buyer === undefined ? (
            'Not given'
          ) : (
            <>
              {order.buyer.name}
              <span className="admin-sub">{order.buyer.email}</span>
            </>
          )}
        </dd>
      </div>
      <div>
        <dt>Total</dt>
        <dd data-field="total">{money(order.total)}</dd>
      </div>
      {order.refund !== undefined && (
        <div>
          <dt>Refund</dt>
          <dd data-field="refund">{formatMoney(order.refund.amount, order.refund.currency)}</dd>
        </div>
      )}
      {order.cancelledAt !== undefined && (
        <div>
          <dt>Cancelled</dt>
          <dd>{formatEventDate(order.cancelledAt)}</dd>
        </div>
      )}
    </dl>
  );
}

function Seats({ order }: { order: AdminOrder }) {
  const ticketOf = new Map(order.tickets.map((t) => [t.seatId, t.ticketId]));
  return (
    <ScrollBox label="Seats and tickets">
      <table className="admin-table" data-testid="order-seats">
        <caption>Seats and tickets</caption>
        <ColumnHeads
          columns={[
            { label: 'Seat' },
            { label: 'Section' },
            { label: 'Price', numeric: true },
            { label: 'Ticket' },
          ]}
        />
        <tbody>
          {order.seats.map((seat) => (
            <tr key={seat.seatId} data-seat-id={seat.seatId}>
              <th scope="row">{seat.seatId}</th>
              <td>{seat.sectionId}</td>
              <td className="num">{formatMoney(seat.price, order.currency)}</td>
              <td className="admin-mono">{ticketOf.get(seat.seatId) ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}

function Cancel({
  api,
  order,
  onCancelled,
  onUnauthenticated,
}: {
  api: TicketmainClient;
  order: AdminOrder;
  onCancelled: (order: AdminOrder) => void;
  onUnauthenticated: () => void;
}) {
  const id = useId();
  const [amount, setAmount] = useState((order.total / 100).toFixed(2));
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const refund = Math.round(Number(amount) * 100);
  const valid =
    amount.trim() !== '' && Number.isFinite(refund) && refund >= 0 && refund <= order.total;

  const ask = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) {
      setProblem(`The refund is from 0 to ${formatMoney(order.total, order.currency)}.`);
      return;
    }
    setProblem('');
    setConfirming(true);
  };
  const cancel = async () => {
    setBusy(true);
    try {
      onCancelled(await cancelOrder(api, order.orderId, refund));
    } catch (error) {
      setConfirming(false);
      if (isUnauthenticated(error)) onUnauthenticated();
      else if (error instanceof ApiError && error.code === 'NOT_FOUND') {
        setProblem('This server cannot cancel orders yet.');
      } else
        setProblem(error instanceof ApiError ? error.detail : 'The order could not be cancelled.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="admin-card admin-cancel" aria-labelledby={`${id}-title`} onSubmit={ask}>
      <h2 id={`${id}-title`}>Cancel the order</h2>
      <p className="admin-help">
        Its seats go back on sale at once and its tickets are refused at the gates.
      </p>
      <label htmlFor={`${id}-refund`}>Refund ({order.currency})</label>
      <input
        id={`${id}-refund`}
        type="number"
        inputMode="decimal"
        min={0}
        max={order.total / 100}
        step={0.01}
        value={amount}
        onChange={(e) => {
          setAmount(e.target.value);
          setConfirming(false);
        }}
        aria-invalid={problem !== '' && !valid ? true : undefined}
        aria-describedby={`${id}-refund-help`}
      />
      <p id={`${id}-refund-help`} className="admin-help">
        Up to the total, {formatMoney(order.total, order.currency)}.
      </p>
      <div className="admin-buttons">
        {confirming ? (
          <>
            <button
              type="button"
              className="admin-danger"
              disabled={busy}
              onClick={() => void cancel()}
            >
              Cancel and refund {formatMoney(refund, order.currency)}
            </button>
            <button type="button" className="admin-secondary" onClick={() => setConfirming(false)}>
              Keep the order
            </button>
          </>
        ) : (
          <button type="submit" className="admin-secondary">
            Cancel order…
          </button>
        )}
      </div>
      {problem !== '' && (
        <p role="alert" className="admin-error">
          {problem}
        </p>
      )}
    </form>
  );
}
