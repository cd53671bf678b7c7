// An event's rules on its dashboard: the lone-seat rule, and until when buyers may cancel their
// own orders (or only the organiser may). Saved with PATCH /api/admin/events/:eventId { rules };
// every replica applies them within a few seconds.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, type EventRules, type TicketmainClient } from '@ticketmain/client';
import { formatEventDate } from '../state/format';
import { isUnauthenticated } from './admin-session';

interface Props {
  api: TicketmainClient;
  eventId: string;
  onUnauthenticated: () => void;
}

export function RulesPanel({ api, eventId, onUnauthenticated }: Props) {
  const id = useId();
  const [saved, setSaved] = useState<EventRules | null>(null);
  const [loneSeat, setLoneSeat] = useState(false);
  const [buyerMayCancel, setBuyerMayCancel] = useState(false);
  const [until, setUntil] = useState('');
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState('');
  const [saving, setSaving] = useState(false);

  const show = (rules: EventRules) => {
    setSaved(rules);
    setLoneSeat(rules.singleSeatRule);
    setBuyerMayCancel(rules.buyerCancellationUntil !== null);
    setUntil(rules.buyerCancellationUntil === null ? '' : localInput(rules.buyerCancellationUntil));
  };
  useEffect(() => {
    api.getEvent(eventId).then(
      (event) => show(event.rules),
      (error: unknown) => {
        if (isUnauthenticated(error)) onUnauthenticated();
        else setProblem('The rules could not be loaded.');
      },
    );
  }, [api, eventId, onUnauthenticated]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setMessage('');
    if (buyerMayCancel && until === '') {
      setProblem('Choose until when buyers may cancel, or let only the organiser cancel.');
      return;
    }
    setProblem('');
    setSaving(true);
    try {
      const detail = await api.updateEventRules(eventId, {
        singleSeatRule: loneSeat,
        buyerCancellationUntil: buyerMayCancel ? new Date(until).toISOString() : null,
      });
      show(detail.rules);
      setMessage('Rules saved. Every server applies them within a few seconds.');
    } catch (error) {
      if (isUnauthenticated(error)) onUnauthenticated();
      else setProblem(error instanceof ApiError ? error.detail : 'The rules could not be saved.');
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="admin-card admin-rules" aria-labelledby={`${id}-title`} data-testid="rules">
      <h2 id={`${id}-title`}>Rules</h2>
      {saved === null && problem === '' ? (
        <p className="loading">Loading the rules…</p>
      ) : (
        <form className="admin-rules-form" onSubmit={(e) => void save(e)}>
          <label className="admin-check">
            <input
              type="checkbox"
              checked={loneSeat}
              onChange={(e) => setLoneSeat(e.target.checked)}
              aria-describedby={`${id}-lone-help`}
            />
            Refuse holds that leave a single seat alone in a row
          </label>
          <p id={`${id}-lone-help`} className="admin-help">
            A buyer then cannot strand one free seat between taken ones.
          </p>
          <fieldset className="admin-mode">
            <legend>Who may cancel an order</legend>
            <label>
              <input
                type="radio"
                name={`${id}-cancel`}
                checked={!buyerMayCancel}
                onChange={() => setBuyerMayCancel(false)}
              />
              Only the organiser
            </label>
            <label>
              <input
                type="radio"
                name={`${id}-cancel`}
                checked={buyerMayCancel}
                onChange={() => setBuyerMayCancel(true)}
              />
              The buyer too, until a time
            </label>
          </fieldset>
          {buyerMayCancel && (
            <label className="admin-field">
              Buyers may cancel until (your time zone)
              <input
                type="datetime-local"
                value={until}
                onChange={(e) => setUntil(e.target.value)}
                aria-invalid={problem !== '' && until === '' ? true : undefined}
              />
            </label>
          )}
          <div className="admin-buttons">
            <button type="submit" className="admin-primary" disabled={saving}>
              Save rules
            </button>
          </div>
          {saved !== null && (
            <p className="admin-help" data-testid="rules-now">
              Now: lone seats {saved.singleSeatRule ? 'refused' : 'allowed'};{' '}
              {saved.buyerCancellationUntil === null
                ? 'only the organiser cancels.'
                : `buyers may cancel until ${formatEventDate(saved.buyerCancellationUntil)}.`}
            </p>
          )}
        </form>
      )}
      {problem !== '' && (
        <p role="alert" className="admin-error">
          {problem}
        </p>
      )}
      <p role="status" className="admin-help">
        {message}
      </p>
    </section>
  );
}

/** An ISO time as a datetime-local input's value, in the browser's time zone. */
function localInput(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}
