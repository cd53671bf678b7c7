// The console's events: each with its date, sold / held / free seats, revenue and state, linking
// to its live dashboard. Refreshed every few seconds.
import { useEffect, useState } from 'react';
import type { TicketmainClient } from '@ticketmain/client';
import type { EventReport, EventSummary } from '@ticketmain/protocol';
import { useFocusOnNavigation } from '../components/hooks';
import { Link } from '../components/Link';
import { formatEventDate, formatMoney } from '../state/format';
import { isUnauthenticated } from './admin-session';
import { ColumnHeads } from './ColumnHeads';
import { ScrollBox } from './ScrollBox';

const REFRESH_MS = 5_000;

interface Row {
  event: EventSummary;
  report: EventReport | null;
}

export function AdminEvents({
  api,
  onUnauthenticated,
}: {
  api: TicketmainClient;
  onUnauthenticated: () => void;
}) {
  const heading = useFocusOnNavigation<HTMLHeadingElement>();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      try {
        const events = await api.listEvents();
        const reports = await Promise.all(
          events.map((e) =>
            api.eventReport(e.id).catch((error: unknown) => {
              if (isUnauthenticated(error)) throw error;
              return null;
            }),
          ),
        );
        if (!cancelled) {
          setRows(events.map((event, i) => ({ event, report: reports[i] ?? null })));
          setFailed(false);
        }
      } catch (error) {
        if (isUnauthenticated(error)) onUnauthenticated();
        else if (!cancelled) setFailed(true);
      }
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [api, onUnauthenticated]);

  return (
    <main className="admin-page">
      <h1 ref={heading} tabIndex={-1}>
        Events
      </h1>
      {failed && (
        <p role="alert" className="admin-error">
          The events could not be loaded; retrying.
        </p>
      )}
      {rows === null ? (
        <p className="loading">Loading events…</p>
      ) : (
        <ScrollBox label="Events">
          <table className="admin-table" data-testid="admin-events">
            <caption className="visually-hidden">Events with their seats and revenue</caption>
            <ColumnHeads
              columns={[
                { label: 'Event' },
                { label: 'Date', className: 'admin-events-date' },
                { label: 'Sold', numeric: true },
                { label: 'Held', numeric: true },
                { label: 'Free', numeric: true },
                { label: 'Revenue', numeric: true },
                { label: 'State' },
              ]}
            />
            <tbody>
              {rows.map(({ event, report }) => (
                <tr key={event.id} data-event-id={event.id}>
                  <th scope="row">
                    <Link to={`/admin/events/${encodeURIComponent(event.id)}`}>{event.name}</Link>
                    <span className="admin-sub">{event.venueName}</span>
                  </th>
                  <td className="admin-events-date">
                    <time dateTime={event.startsAt}>{formatEventDate(event.startsAt)}</time>
                  </td>
                  <td className="num" data-field="sold">
                    {report?.sold.toLocaleString('en-US') ?? '—'}
                  </td>
                  <td className="num" data-field="held">
                    {report?.held.toLocaleString('en-US') ?? '—'}
                  </td>
                  <td className="num" data-field="available">
                    {(report?.available ?? event.availableCount).toLocaleString('en-US')}
                  </td>
                  <td className="num">
                    {report === null ? '—' : formatMoney(report.revenue, report.currency)}
                  </td>
                  <td>
                    <span className={report?.available === 0 ? 'state sold-out' : 'state on-sale'}>
                      {report?.available === 0 ? 'Sold out' : 'On sale'}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
    </main>
  );
}
