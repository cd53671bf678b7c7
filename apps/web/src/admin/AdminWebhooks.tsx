// Webhooks in the console (API.md "Webhooks"): the endpoints registered, a new one with the
// events it wants (its signing secret shown once), deletion, and each endpoint's recent delivery
// attempts with their status and next retry.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, type TicketmainClient } from '@ticketmain/client';
import { useFocusOnNavigation } from '../components/hooks';
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  webhookDeliveries,
  WEBHOOK_EVENTS,
  type Delivery,
  type Webhook,
  type WebhookEventType,
} from './admin-api';
import { isUnauthenticated } from './admin-session';
import { ColumnHeads } from './ColumnHeads';
import { SecretField } from './SecretField';
import { ScrollBox } from './ScrollBox';

/** A log's time: the day, and the time to the second. */
const logTime = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
});
const when = (iso: string) => logTime.format(new Date(iso));

interface Props {
  api: TicketmainClient;
  onUnauthenticated: () => void;
}

export function AdminWebhooks({ api, onUnauthenticated }: Props) {
  const heading = useFocusOnNavigation<HTMLHeadingElement>();
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  const [problem, setProblem] = useState('');
  const [created, setCreated] = useState<Webhook | null>(null);
  const [shown, setShown] = useState<string | null>(null);

  const failed = useCallback(
    (error: unknown, what: string) => {
      if (isUnauthenticated(error)) onUnauthenticated();
      else setProblem(error instanceof ApiError ? error.detail : `The webhooks could not ${what}.`);
    },
    [onUnauthenticated],
  );
  const load = useCallback(async () => {
    try {
      setHooks(await listWebhooks(api));
    } catch (error) {
      failed(error, 'load');
    }
  }, [api, failed]);
  useEffect(() => {
    document.title = 'Webhooks · Console · Ticketmain';
    void load();
  }, [load]);

  const remove = async (hook: Webhook) => {
    try {
      await deleteWebhook(api, hook.id);
      if (shown === hook.id) setShown(null);
      if (created?.id === hook.id) setCreated(null);
      setProblem('');
      await load();
    } catch (error) {
      failed(error, 'be changed');
    }
  };

  return (
    <main className="admin-page" data-testid="admin-webhooks">
      <h1 ref={heading} tabIndex={-1}>
        Webhooks
      </h1>
      <p className="admin-help">
        Ticketmain POSTs each chosen event to your URL, signed as the Standard Webhooks
        specification says, and retries for three days until your server answers 2xx.
      </p>
      {problem !== '' && (
        <p role="alert" className="admin-error">
          {problem}
        </p>
      )}
      <Register
        api={api}
        onCreated={(hook) => {
          setCreated(hook);
          setProblem('');
          void load();
        }}
        onFailed={(error) => failed(error, 'be registered')}
      />
      {created?.secret !== undefined && (
        <section className="admin-card" aria-label="New webhook's secret">
          <SecretField
            label={`Signing secret of ${created.url} (shown once)`}
            value={created.secret}
          >
            <p className="admin-help">
              Keep it in your receiver: it checks the <code>webhook-signature</code> header with it.
            </p>
          </SecretField>
        </section>
      )}
      {hooks === null ? (
        problem === '' && <p className="loading">Loading webhooks…</p>
      ) : (
        <Endpoints
          hooks={hooks}
          shown={shown}
          onShow={(id) => setShown(shown === id ? null : id)}
          onDelete={(hook) => void remove(hook)}
        />
      )}
      {shown !== null && hooks?.some((h) => h.id === shown) === true && (
        <Deliveries
          api={api}
          hook={hooks.find((h) => h.id === shown)!}
          onFailed={(e) => failed(e, 'load')}
        />
      )}
    </main>
  );
}

function Register({
  api,
  onCreated,
  onFailed,
}: {
  api: TicketmainClient;
  onCreated: (hook: Webhook) => void;
  onFailed: (error: unknown) => void;
}) {
  const id = useId();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<Set<WebhookEventType>>(
    () => new Set<WebhookEventType>(['order.confirmed']),
  );
  const [problem, setProblem] = useState('');
  const toggle = (type: WebhookEventType, on: boolean) => {
    const next = new Set(events);
    if (on) next.add(type);
    else next.delete(type);
    setEvents(next);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^https?:\/\/\S+$/i.test(url.trim())) return setProblem('Give an http(s) URL.');
    if (events.size === 0) return setProblem('Choose at least one event.');
    setProblem('');
    try {
      onCreated(await createWebhook(api, url.trim(), [...events]));
      setUrl('');
    } catch (error) {
      onFailed(error);
    }
  };
  return (
    <form
      className="admin-card admin-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => void submit(e)}
    >
      <h2 id={`${id}-title`}>Register a webhook</h2>
      <label>
        Endpoint URL
        <input
          type="url"
          value={url}
          placeholder="https://example.com/hooks/ticketmain"
          onChange={(e) => setUrl(e.target.value)}
          aria-invalid={problem.includes('URL') ? true : undefined}
        />
      </label>
      <fieldset className="admin-mode">
        <legend>Events</legend>
        {WEBHOOK_EVENTS.map((type) => (
          <label key={type}>
            <input
              type="checkbox"
              checked={events.has(type)}
              onChange={(e) => toggle(type, e.target.checked)}
            />
            <code>{type}</code>
          </label>
        ))}
      </fieldset>
      {problem !== '' && (
        <p role="alert" className="admin-error">
          {problem}
        </p>
      )}
      <div className="admin-buttons">
        <button type="submit" className="admin-primary">
          Register webhook
        </button>
      </div>
    </form>
  );
}

function Endpoints({
  hooks,
  shown,
  onShow,
  onDelete,
}: {
  hooks: Webhook[];
  shown: string | null;
  onShow: (id: string) => void;
  onDelete: (hook: Webhook) => void;
}) {
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <ScrollBox label="Registered webhooks">
      <table className="admin-table" data-testid="webhooks">
        <caption>Registered ({hooks.length})</caption>
        <ColumnHeads
          columns={[
            { label: 'Endpoint' },
            { label: 'Events' },
            { label: <span className="visually-hidden">Actions</span> },
          ]}
        />
        <tbody>
          {hooks.map((hook) => (
            <tr key={hook.id} data-webhook-id={hook.id}>
              <th scope="row" className="admin-url">
                {hook.url}
              </th>
              <td>
                {hook.events.join(', ')}
                {hook.disabledAt !== null && (
                  <span className="admin-sub">Disabled: the receiver answered 410 Gone</span>
                )}
              </td>
              <td>
                <div className="admin-buttons">
                  <button
                    type="button"
                    className="admin-secondary"
                    aria-expanded={shown === hook.id}
                    onClick={() => onShow(hook.id)}
                  >
                    Deliveries<span className="visually-hidden"> to {hook.url}</span>
                  </button>
                  {confirming === hook.id ? (
                    <button type="button" className="admin-danger" onClick={() => onDelete(hook)}>
                      Delete<span className="visually-hidden"> {hook.url}</span>, sure
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="admin-secondary"
                      onClick={() => setConfirming(hook.id)}
                    >
                      Delete…<span className="visually-hidden"> {hook.url}</span>
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}

function Deliveries({
  api,
  hook,
  onFailed,
}: {
  api: TicketmainClient;
  hook: Webhook;
  onFailed: (error: unknown) => void;
}) {
  const [rows, setRows] = useState<Delivery[] | null>(null);
  const load = useCallback(async () => {
    try {
      setRows(await webhookDeliveries(api, hook.id));
    } catch (error) {
      onFailed(error);
    }
  }, [api, hook.id, onFailed]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section className="admin-card" aria-labelledby="deliveries-title" data-testid="deliveries">
      <h2 id="deliveries-title">Deliveries to {hook.url}</h2>
      <div className="admin-buttons">
        <button type="button" className="admin-secondary" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      {rows === null ? (
        <p className="loading">Loading deliveries…</p>
      ) : rows.length === 0 ? (
        <p className="admin-help">Nothing sent yet.</p>
      ) : (
        <ScrollBox label="Recent delivery attempts">
          <table className="admin-table">
            <caption className="visually-hidden">Recent delivery attempts</caption>
            <ColumnHeads
              columns={[
                { label: 'Time' },
                { label: 'Event' },
                { label: 'Status', numeric: true },
                { label: 'Next retry' },
              ]}
            />
            <tbody>
              {rows.map((row) => (
                <tr key={row.deliveryId + row.attemptedAt}>
                  <td>{when(row.attemptedAt)}</td>
                  <td>
                    <code>{row.type}</code>
                  </td>
                  <td className="num">
                    <span data-field="status">{row.status ?? 'no answer'}</span>
                    {row.error !== null && <span className="admin-sub">{row.error}</span>}
                  </td>
                  <td>{row.nextAttemptAt === null ? 'none' : when(row.nextAttemptAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
    </section>
  );
}
