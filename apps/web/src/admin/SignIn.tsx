// Sign-in with the server's ADMIN_TOKEN, checked against the server before it is kept.
import { useState, type FormEvent } from 'react';
import { useFocusOnNavigation } from '../components/hooks';
import { checkAdminToken } from './admin-session';

const MESSAGES = {
  refused: 'The server did not accept this token.',
  unreachable: 'The server could not be reached. Try again in a moment.',
} as const;

export function SignIn({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const heading = useFocusOnNavigation<HTMLHeadingElement>();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (value === '') return;
    setBusy(true);
    setError(null);
    const outcome = await checkAdminToken(value);
    setBusy(false);
    if (outcome === 'ok') onSignedIn(value);
    else setError(MESSAGES[outcome]);
  };
  return (
    <main className="admin-page admin-signin">
      <h1 ref={heading} tabIndex={-1}>
        Organiser console
      </h1>
      <form className="admin-card" onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="admin-token">Admin token</label>
        <input
          id="admin-token"
          name="token"
          type="password"
          autoComplete="current-password"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-invalid={error !== null}
          aria-describedby={error !== null ? 'admin-token-error' : 'admin-token-help'}
          required
        />
        <p id="admin-token-help" className="admin-help">
          The server's <code>ADMIN_TOKEN</code>. It is kept for this tab only.
        </p>
        {error !== null && (
          <p id="admin-token-error" className="admin-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="admin-primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
