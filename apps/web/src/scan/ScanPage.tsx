// The gates' scanner (/scan): sign in with the event's scanner token (kept in session storage,
// never in the address), then scan with the camera or type a code. Each answer fills the screen
// green or red and is announced; the counts say how many are in. Offline, answers are
// provisional and the scans wait in local storage for the network (gate.ts).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, TicketmainClient, type EventSummary } from '@ticketmain/client';
import { AppHeader } from '../components/AppHeader';
import { useFocusOnNavigation, useObservable } from '../components/hooks';
import { browserStorage } from '../net/storage';
import { buildVenue, sectionOfSeat, type Venue } from '../state/venue';
import { startCamera, type CameraReader } from './camera';
import { Gate, type Answer, type Place } from './gate';
import './scan.css';

interface Credentials {
  eventId: string;
  token: string;
}

const CREDENTIALS_KEY = 'ticketmain.scanner';
/** The same code seen again by the camera this soon after its answer is the same scan. */
const REPEAT_MS = 4_000;

const publicApi = new TicketmainClient({ baseUrl: '', timeoutMs: 15_000 });

function loadCredentials(): Credentials | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(CREDENTIALS_KEY) ?? 'null') as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const { eventId, token } = value as Record<string, unknown>;
    return typeof eventId === 'string' && typeof token === 'string' ? { eventId, token } : null;
  } catch {
    return null;
  }
}

function saveCredentials(credentials: Credentials | null): void {
  try {
    if (credentials === null) sessionStorage.removeItem(CREDENTIALS_KEY);
    else sessionStorage.setItem(CREDENTIALS_KEY, JSON.stringify(credentials));
  } catch {
    // Private mode without storage: signed in for this page's life only.
  }
}

/** Where a seat is, for the answers: filled in once the venue has loaded. */
class Places {
  venue: Venue | null = null;

  placeOf = (seatId: string, sectionId: string | null): Place => {
    const venue = this.venue;
    const seat = venue?.indexById.get(seatId);
    if (venue === null || seat === undefined) {
      const section = venue?.sections.find((s) => s.id === sectionId)?.name;
      return { label: seatId, section: section ?? sectionId ?? 'Section unknown offline' };
    }
    return {
      label: `Row ${venue.rows[seat] ?? '?'}, seat ${venue.numbers[seat] ?? '?'}`,
      section: sectionOfSeat(venue, seat)?.name ?? sectionId ?? '',
    };
  };
}

function newGate(credentials: Credentials, places: Places): Gate {
  return new Gate({ ...credentials, storage: browserStorage(), placeOf: places.placeOf });
}

export default function ScanPage() {
  const [places] = useState(() => new Places());
  const [session, setSession] = useState<{ gate: Gate; eventId: string } | null>(() => {
    const saved = loadCredentials();
    return saved === null ? null : { gate: newGate(saved, places), eventId: saved.eventId };
  });
  useEffect(() => {
    document.title = 'Scan tickets · Ticketmain';
  }, []);
  if (session === null) {
    return (
      <SignIn
        onSignedIn={(credentials, gate) => {
          saveCredentials(credentials);
          setSession({ gate, eventId: credentials.eventId });
        }}
        places={places}
      />
    );
  }
  return (
    <Scanner
      key={session.eventId}
      gate={session.gate}
      eventId={session.eventId}
      places={places}
      onSignOut={() => {
        saveCredentials(null);
        setSession(null);
      }}
    />
  );
}

function SignIn({
  onSignedIn,
  places,
}: {
  onSignedIn: (credentials: Credentials, gate: Gate) => void;
  places: Places;
}) {
  const heading = useFocusOnNavigation<HTMLHeadingElement>();
  const [events, setEvents] = useState<EventSummary[]>([]);
  const [eventId, setEventId] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    publicApi.listEvents().then(
      (list) => {
        setEvents(list);
        setEventId((id) => id || (list[0]?.id ?? ''));
      },
      () => undefined,
    );
  }, []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const credentials = { eventId: eventId.trim(), token: token.trim() };
    if (credentials.eventId === '' || credentials.token === '') {
      setError('Choose the event and paste the scanner token.');
      return;
    }
    setBusy(true);
    setError(null);
    const gate = newGate(credentials, places);
    try {
      await gate.signIn();
      onSignedIn(credentials, gate);
    } catch (failure) {
      setBusy(false);
      if (failure instanceof ApiError && failure.status === 401) {
        setError('This scanner token is not valid.');
      } else if (failure instanceof ApiError && failure.status === 403) {
        setError('This scanner token is for another event.');
      } else if (failure instanceof ApiError && failure.status === 404) {
        setError('There is no such event.');
      } else {
        setError('The server could not be reached. Check the connection and try again.');
      }
    }
  };
  return (
    <>
      <AppHeader />
      <main className="scan-signin">
        <h1 ref={heading} tabIndex={-1}>
          Scan tickets
        </h1>
        <p>Sign in with the scanner token the organiser gave this gate.</p>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <label htmlFor="scan-event">Event</label>
          {events.length > 0 ? (
            <select id="scan-event" value={eventId} onChange={(e) => setEventId(e.target.value)}>
              {events.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>
          ) : (
            <input
              id="scan-event"
              value={eventId}
              onChange={(e) => setEventId(e.target.value)}
              autoComplete="off"
            />
          )}
          <label htmlFor="scan-token">Scanner token</label>
          <input
            id="scan-token"
            type="password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
          {error !== null && (
            <p className="scan-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="buy" disabled={busy}>
            {busy ? 'Signing in…' : 'Start scanning'}
          </button>
        </form>
      </main>
    </>
  );
}

function Scanner({
  gate,
  eventId,
  places,
  onSignOut,
}: {
  gate: Gate;
  eventId: string;
  places: Places;
  onSignOut: () => void;
}) {
  const heading = useFocusOnNavigation<HTMLHeadingElement>();
  const state = useObservable(gate.state);
  const [eventName, setEventName] = useState<string | null>(null);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [code, setCode] = useState('');
  const [cameraOn, setCameraOn] = useState(false);
  const [cameraError, setCameraError] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const busy = useRef(false);
  const last = useRef<{ code: string; at: number } | null>(null);

  useEffect(() => {
    gate.start();
    return () => gate.dispose();
  }, [gate]);

  // A token revoked, or one from an earlier event reset: back to the sign-in.
  useEffect(() => {
    if (state.rejected) onSignOut();
  }, [state.rejected, onSignOut]);

  useEffect(() => {
    let cancelled = false;
    publicApi.getEvent(eventId).then(
      (event) => {
        places.venue = buildVenue(event);
        if (!cancelled) setEventName(event.name);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [eventId, places]);

  const check = async (raw: string) => {
    if (busy.current || raw.trim() === '') return;
    busy.current = true;
    try {
      const result = await gate.scan(raw);
      last.current = { code: raw, at: Date.now() };
      setAnswer(result);
      const words = `${result.title}. ${result.detail}`;
      // The same words twice are announced twice: the region is emptied first.
      setAnnouncement('');
      requestAnimationFrame(() => setAnnouncement(words));
    } finally {
      busy.current = false;
    }
  };

  const checkRef = useRef(check);
  checkRef.current = check;

  useEffect(() => {
    if (!cameraOn || video.current === null) return;
    let reader: CameraReader | null = null;
    let stopped = false;
    setCameraError(null);
    startCamera(video.current, (found) => {
      const previous = last.current;
      if (previous !== null && previous.code === found && Date.now() - previous.at < REPEAT_MS)
        return;
      void checkRef.current(found);
    }).then(
      (started) => {
        if (stopped) started.stop();
        else reader = started;
      },
      (error: unknown) => {
        setCameraOn(false);
        setCameraError(
          error instanceof DOMException && error.name === 'NotAllowedError'
            ? 'The camera is blocked for this page. Allow it in the browser, or type the code.'
            : 'No camera could be started. Type the code instead.',
        );
      },
    );
    return () => {
      stopped = true;
      reader?.stop();
    };
  }, [cameraOn]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void check(code).then(() => setCode(''));
  };

  const { summary } = state;
  return (
    <>
      <AppHeader />
      <main className="scan-page">
        <div className="scan-head">
          <div className="scan-title">
            <h1 ref={heading} tabIndex={-1}>
              Scan tickets
            </h1>
            <p>{eventName ?? eventId}</p>
          </div>
          <span
            className={`connection ${state.online ? 'connection-live' : 'connection-offline'}`}
            data-testid="scan-connection"
            data-status={state.online ? 'online' : 'offline'}
          >
            <span className="connection-dot" aria-hidden="true" />
            {state.online ? 'Online' : 'Offline'}
          </span>
        </div>
        <section
          className={`scan-answer ${answer === null ? 'scan-answer-idle' : `scan-answer-${answer.verdict}`}${answer?.provisional === true ? ' scan-answer-provisional' : ''}`}
          data-testid="scan-result"
          data-verdict={answer?.verdict ?? 'none'}
          data-provisional={answer?.provisional === true ? 'true' : 'false'}
          aria-labelledby="scan-answer-title"
        >
          <span className="scan-answer-mark" aria-hidden="true">
            {answer === null ? '' : answer.verdict === 'admitted' ? '✓' : '✕'}
          </span>
          <h2 id="scan-answer-title">{answer === null ? 'Ready to scan' : answer.title}</h2>
          <p>{answer === null ? 'Scan a ticket or type its code.' : answer.detail}</p>
          {answer?.provisional === true && answer.verdict === 'admitted' && (
            <p className="scan-answer-note">Signature valid; confirmed when the network is back.</p>
          )}
        </section>
        <div className="visually-hidden" aria-live="assertive" data-testid="scan-announcer">
          {announcement}
        </div>

        <dl className="scan-counts" data-testid="scan-counts">
          <div>
            <dt>Checked in</dt>
            <dd data-field="checked-in">{summary?.checkedIn.toLocaleString('en-US') ?? '–'}</dd>
          </div>
          <div>
            <dt>Expected</dt>
            <dd data-field="expected">{summary?.expected.toLocaleString('en-US') ?? '–'}</dd>
          </div>
          <div>
            <dt>Waiting to upload</dt>
            <dd data-field="queued">{state.queued}</dd>
          </div>
        </dl>

        <section className="scan-camera" aria-labelledby="scan-camera-title">
          <h2 id="scan-camera-title">Camera</h2>
          <video
            ref={video}
            className={cameraOn ? 'scan-video' : 'scan-video scan-video-off'}
            muted
            playsInline
            aria-label="Camera view: hold a ticket's QR code up to it"
            data-testid="scan-video"
          />
          <button
            type="button"
            className="button-plain"
            aria-pressed={cameraOn}
            onClick={() => setCameraOn((on) => !on)}
          >
            {cameraOn ? 'Stop the camera' : 'Start the camera'}
          </button>
          {cameraError !== null && (
            <p className="scan-error" role="alert">
              {cameraError}
            </p>
          )}
        </section>

        <form className="scan-manual" onSubmit={submit}>
          <label htmlFor="scan-code">Ticket code</label>
          <div className="scan-manual-row">
            <input
              id="scan-code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
            />
            <button type="submit" className="buy">
              Check in
            </button>
          </div>
        </form>

        {state.conflicts.length > 0 && (
          <section className="scan-conflicts" aria-labelledby="scan-conflicts-title">
            <h2 id="scan-conflicts-title">Refused after an offline admission</h2>
            <ul>
              {state.conflicts.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </section>
        )}
        {!state.offlineReady && (
          <p className="scan-note">Offline checks start once the ticket keys have loaded.</p>
        )}
        <button type="button" className="button-plain scan-signout" onClick={onSignOut}>
          Sign out of this gate
        </button>
      </main>
    </>
  );
}
