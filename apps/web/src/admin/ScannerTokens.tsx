// Scanner tokens for an event's gates: each created with POST
// /api/admin/events/:eventId/scanner-tokens and shown once (the server keeps only its hash), with
// a copy button and the way to the scanner page, where a gate's phone pastes it.
import { useId, useState } from 'react';
import { ApiError, type TicketmainClient } from '@ticketmain/client';
import { isUnauthenticated } from './admin-session';
import { SecretField } from './SecretField';

interface Props {
  api: TicketmainClient;
  eventId: string;
  onUnauthenticated: () => void;
}

export function ScannerTokens({ api, eventId, onUnauthenticated }: Props) {
  const id = useId();
  const [token, setToken] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  const create = async () => {
    setBusy(true);
    setMessage('');
    try {
      setToken(await api.createScannerToken(eventId));
      setMessage('Token created. Copy it now: it is not shown again.');
    } catch (error) {
      if (isUnauthenticated(error)) onUnauthenticated();
      else setMessage(error instanceof ApiError ? error.detail : 'No token could be created.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="admin-card" aria-labelledby={`${id}-title`} data-testid="scanner-tokens">
      <h2 id={`${id}-title`}>Scanner tokens</h2>
      <p className="admin-help">
        A scanner token lets a phone at the gate check in this event&apos;s tickets, and nothing
        else. Create one per gate.
      </p>
      <div className="admin-buttons">
        <button
          type="button"
          className="admin-secondary"
          disabled={busy}
          onClick={() => void create()}
        >
          Create a scanner token
        </button>
      </div>
      {token !== null && (
        <SecretField label="Scanner token (shown once)" value={token}>
          <p className="admin-help">
            On the gate&apos;s phone, open{' '}
            <a href="/scan" target="_blank" rel="noopener">
              the scanner (/scan)
            </a>{' '}
            and paste the token there.
          </p>
        </SecretField>
      )}
      <p role="status" className="admin-help">
        {message}
      </p>
    </section>
  );
}
