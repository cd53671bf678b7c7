// An event's live dashboard: sold / held / free and revenue, by section as a table (with bars),
// orders per minute as a chart, following every sale within a second; the waiting room; the
// event's rules, its scanner tokens, the CSV report download, the demo reset and a line on the
// webhooks (how many, how many turned off).
import { useEffect, useMemo, useState } from 'react';
import type { TicketmainClient } from '@ticketmain/client';
import type { EventReport } from '@ticketmain/protocol';
import { useFocusOnNavigation, useObservable } from '../components/hooks';
import { Link } from '../components/Link';
import { formatMoney } from '../state/format';
import { listWebhooks, type Webhook } from './admin-api';
import { ColumnHeads } from './ColumnHeads';
import { LiveReport } from './live-report';
import { OrdersChart } from './OrdersChart';
import { QueuePanel } from './QueuePanel';
import { RulesPanel } from './RulesPanel';
import { ScannerTokens } from './ScannerTokens';
import { EventNav } from './EventNav';
import { useEventName } from './use-event-name';
import { ScrollBox } from './ScrollBox';

interface Props {
  api: TicketmainClient;
  eventId: string;
  onUnauthenticated: () => void;
}

export function Dashboard({ api, eventId, onUnauthenticated }: Props) {
  const heading = useFocusOnNavigation<HTMLHeadingElement>();
  const live = useMemo(
    () => new LiveReport(api, eventId, onUnauthenticated),
    [api, eventId, onUnauthenticated],
  );
  useEffect(() => {
    live.start();
    return () => live.stop();
  }, [live]);
  const state = useObservable(live.state);
  const name = useEventName(api, eventId, '');

  return (
    <main className="admin-page" data-testid="dashboard">
      <p className="admin-crumbs">
        <Link to="/admin">Events</Link> <span aria-hidden="true">›</span>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {name}
      </h1>
      <EventNav eventId={eventId} current="dashboard" />
      {state.phase === 'loading' && <p className="loading">Loading the report…</p>}
      {state.phase === 'failed' && (
        <p role="alert" className="admin-error">
          {state.message}
        </p>
      )}
      {state.phase === 'ready' && (
        <>
          <p className={state.live ? 'admin-live is-live' : 'admin-live'} data-testid="live">
            {state.live ? 'Live: updates as seats change' : 'Reconnecting; refreshed every 5 s'}
          </p>
          <Totals report={state.report} />
          {state.report.queue !== null && (
            <QueuePanel
              api={api}
              eventId={eventId}
              queue={state.report.queue}
              onChanged={() => void live.refresh()}
            />
          )}
          <Sections report={state.report} />
          <OrdersChart minutes={state.report.ordersPerMinute} />
          <div className="admin-pair">
            <RulesPanel api={api} eventId={eventId} onUnauthenticated={onUnauthenticated} />
            <ScannerTokens api={api} eventId={eventId} onUnauthenticated={onUnauthenticated} />
          </div>
          <Actions api={api} eventId={eventId} onDone={() => void live.refresh()} />
        </>
      )}
    </main>
  );
}

function Totals({ report }: { report: EventReport }) {
  const n = (value: number) => value.toLocaleString('en-US');
  const items = [
    ['sold', 'Sold', n(report.sold)],
    ['held', 'Held', n(report.held)],
    ['available', 'Free', n(report.available)],
    ['revenue', 'Revenue', formatMoney(report.revenue, report.currency)],
  ] as const;
  return (
    <dl className="admin-totals" data-testid="totals">
      {items.map(([key, label, value]) => (
        <div key={key} data-field={key}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
      <div>
        <dt>Capacity</dt>
        <dd>{n(report.capacity)}</dd>
      </div>
    </dl>
  );
}

function Sections({ report }: { report: EventReport }) {
  const share = (part: number, whole: number) => (whole === 0 ? 0 : (100 * part) / whole);
  return (
    <ScrollBox label="By section">
      <table className="admin-table admin-sections" data-testid="sections">
        <caption>By section</caption>
        <ColumnHeads
          columns={[
            { label: 'Section' },
            { label: 'Sold', numeric: true },
            { label: 'Held', numeric: true },
            { label: 'Free', numeric: true },
            { label: 'Revenue', numeric: true },
            {
              label: <span className="visually-hidden">Share sold and held</span>,
              className: 'bar-col',
            },
          ]}
        />
        <tbody>
          {report.sections.map((s) => (
            <tr key={s.sectionId} data-section-id={s.sectionId}>
              <th scope="row">{s.name}</th>
              <td className="num" data-field="sold">
                {s.sold.toLocaleString('en-US')}
              </td>
              <td className="num" data-field="held">
                {s.held.toLocaleString('en-US')}
              </td>
              <td className="num" data-field="available">
                {s.available.toLocaleString('en-US')}
              </td>
              <td className="num">{formatMoney(s.revenue, report.currency)}</td>
              <td className="bar-col" aria-hidden="true">
                <span className="bar">
                  <span className="bar-sold" style={{ width: `${share(s.sold, s.capacity)}%` }} />
                  <span className="bar-held" style={{ width: `${share(s.held, s.capacity)}%` }} />
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}

function Actions({
  api,
  eventId,
  onDone,
}: {
  api: TicketmainClient;
  eventId: string;
  onDone: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState('');
  const download = async () => {
    const reply = await api.request(
      'GET',
      `/api/admin/events/${encodeURIComponent(eventId)}/report?format=csv`,
      { auth: 'admin' },
    );
    if (reply.status !== 200 || typeof reply.body !== 'string') {
      setMessage('The report could not be downloaded.');
      return;
    }
    // The token cannot go in a link: the file is made here and handed to the browser.
    const url = URL.createObjectURL(new Blob([reply.body], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${eventId}-report.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  };
  const reset = async () => {
    setConfirming(false);
    try {
      await api.resetEvent(eventId);
      setMessage('Every hold and sale of the event was cleared.');
    } catch {
      setMessage('The event could not be reset.');
    }
    onDone();
  };
  return (
    <section className="admin-actions" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <div className="admin-buttons">
        <button type="button" className="admin-secondary" onClick={() => void download()}>
          Download report (CSV)
        </button>
        {confirming ? (
          <>
            <button type="button" className="admin-danger" onClick={() => void reset()}>
              Clear every hold and sale
            </button>
            <button type="button" className="admin-secondary" onClick={() => setConfirming(false)}>
              Keep them
            </button>
          </>
        ) : (
          <button type="button" className="admin-secondary" onClick={() => setConfirming(true)}>
            Reset event…
          </button>
        )}
      </div>
      <WebhooksLine api={api} />
      <p role="status" className="admin-help">
        {message}
      </p>
    </section>
  );
}

/** The organiser's webhooks in a sentence, with the way to them; nothing if they fail to load. */
function WebhooksLine({ api }: { api: TicketmainClient }) {
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  useEffect(() => {
    let gone = false;
    listWebhooks(api).then(
      (list) => !gone && setHooks(list),
      () => undefined,
    );
    return () => {
      gone = true;
    };
  }, [api]);
  if (hooks === null) return null;
  const off = hooks.filter((h) => h.disabledAt !== null).length;
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return (
    <p className="admin-help" data-testid="webhooks-summary">
      Webhooks: {hooks.length === 0 ? 'none' : count(hooks.length, 'endpoint', 'endpoints')}
      {off > 0 && `, ${count(off, 'turned off', 'turned off')} after a 410 Gone`}.{' '}
      <Link to="/admin/webhooks">Manage webhooks</Link>
    </p>
  );
}
