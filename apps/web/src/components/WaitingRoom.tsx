// The waiting room in front of an event's seat map: where the buyer is in line and what happens
// next, the "It's your turn" banner with the admission's countdown, a polite live region that
// speaks the place now and then (never each tick), and how to check that the draw was fair.
import { useEffect, useRef, useState } from 'react';
import type { Queue } from '@ticketmain/protocol';
import type { QueueController } from '../app/queue-controller';
import type { ServerClock } from '../net/clock';
import {
  aheadOf,
  announcement,
  formatClock,
  formatSpan,
  formatWait,
  nextAnnouncement,
  type QueueView,
  type Spoken,
} from '../state/queue';
import { useNow, useObservable } from './hooks';
import { Link } from './Link';

interface Props {
  queue: QueueController;
  eventId: string;
  clock: ServerClock;
}

/** The view now, re-read every second (countdowns) and on every change of the queue's state. */
export function useQueueView(queue: QueueController, clock: ServerClock): QueueView {
  useObservable(queue.state);
  useNow(1000);
  return queue.view(clock.now());
}

/** The card over the locked map; nothing once the buyer is admitted or there is no queue. */
export function WaitingRoom({ queue, eventId, clock }: Props) {
  const view = useQueueView(queue, clock);
  if (!queue.locked(clock.now())) return null;
  return (
    <section
      className="waiting-room"
      aria-labelledby="waiting-room-title"
      data-testid="waiting-room"
    >
      <div
        className="waiting-room-card"
        data-kind={view.kind}
        data-number={'number' in view ? view.number : undefined}
      >
        <Body view={view} queue={queue} now={clock.now()} />
        <FairnessNote view={view} settings={queue.settings} eventId={eventId} />
      </div>
    </section>
  );
}

function Body({ view, queue, now }: { view: QueueView; queue: QueueController; now: number }) {
  const settings = queue.settings ?? null;
  const shoppingTime = settings === null ? 'a limited time' : formatSpan(settings.admissionSeconds);
  switch (view.kind) {
    case 'open':
    case 'admitted':
      return null;
    case 'checking':
    case 'joining':
      return (
        <Title eyebrow="Waiting room" title="Finding your place in line…">
          <p>This takes a moment. Keep this page open.</p>
        </Title>
      );
    case 'notOpen':
      return (
        <Title eyebrow="Waiting room" title="The waiting room opens soon">
          <Stat label="Opens in" value={formatClock(view.opensAt - now)} timer />
          <p>Keep this page open: you will join the line by yourself when it opens.</p>
        </Title>
      );
    case 'solving':
      return (
        <Title eyebrow="Waiting room" title="Joining the waiting room…">
          <p>
            Your browser is doing a short check that keeps bots from crowding the line. It takes a
            few seconds; please keep this page open.
          </p>
          <Progress label="Browser check" value={view.progress} />
        </Title>
      );
    case 'prequeue': {
      const startsAt = settings === null ? null : Date.parse(settings.salesStartAt);
      const drawing = startsAt !== null && startsAt <= now;
      return (
        <Title eyebrow="You're in the waiting room" title="Sales have not started yet">
          {startsAt !== null && !drawing && (
            <Stat label="Sales start in" value={formatClock(startsAt - now)} timer />
          )}
          {drawing && <p className="waiting-room-strong">Drawing places in line…</p>}
          <p>
            When sales start, everyone in the waiting room gets a place in line at random: arriving
            earlier gives no advantage. Then the seat map opens for each buyer in turn.
          </p>
          <p>Keep this page open; you don't need to refresh it.</p>
        </Title>
      );
    }
    case 'waiting': {
      const wait = formatWait(view.etaSeconds);
      const ahead = aheadOf(view.place);
      return (
        <Title
          eyebrow="You're in line"
          title={ahead === 0 ? "You're next" : 'Please wait for your turn'}
        >
          <dl className="waiting-room-stats">
            <Stat label="Your number" value={view.number.toLocaleString('en-US')} />
            <Stat label="People ahead of you" value={ahead.toLocaleString('en-US')} />
            <Stat
              label="Estimated wait"
              value={view.paused ? 'Paused' : (wait ?? '—')}
              className="waiting-room-eta"
            />
          </dl>
          <Progress label="Your progress in line" value={view.progress} />
          {view.paused && (
            <p className="waiting-room-strong">
              The organiser has paused the line for a moment. You keep your place.
            </p>
          )}
          <p>
            When it's your turn, the seat map opens here and you have {shoppingTime} to choose your
            seats. Keep this tab open; you don't need to refresh it.
          </p>
        </Title>
      );
    }
    case 'turn':
      return (
        <Title eyebrow="Waiting room" title="It's your turn!">
          <p>Opening the seat map…</p>
        </Title>
      );
    case 'expired':
      return (
        <Title eyebrow="Waiting room" title="Your shopping time is over">
          <p>
            Your turn has ended, so new seats can't be held. Seats already in your cart can still be
            bought until their hold runs out.
          </p>
          <Link to="/">Back to all events</Link>
        </Title>
      );
    case 'closed':
      return (
        <Title eyebrow="Waiting room" title="Sold out">
          <p>Every seat has been sold, so the waiting room has closed. Sorry!</p>
          <Link to="/">Back to all events</Link>
        </Title>
      );
    case 'failed':
      return (
        <Title eyebrow="Waiting room" title="We couldn't reach the waiting room">
          <p role="alert">{view.message}</p>
          <p>We keep trying by ourselves.</p>
          <button type="button" className="waiting-room-button" onClick={() => queue.retry()}>
            Try again now
          </button>
        </Title>
      );
  }
}

function Title({
  eyebrow,
  title,
  children,
}: {
  eyebrow: string;
  title: string;
  children: React.ReactNode;
}) {
  return (
    <>
      <p className="waiting-room-eyebrow">{eyebrow}</p>
      <h2 id="waiting-room-title">{title}</h2>
      {children}
    </>
  );
}

function Stat(props: { label: string; value: string; timer?: boolean; className?: string }) {
  const value = props.timer === true ? <span role="timer">{props.value}</span> : props.value;
  const row = (
    <div className={`waiting-room-stat ${props.className ?? ''}`}>
      <dt>{props.label}</dt>
      <dd>{value}</dd>
    </div>
  );
  // A lone figure still needs its list around it.
  return props.timer === true ? <dl className="waiting-room-stats">{row}</dl> : row;
}

function Progress({ label, value }: { label: string; value: number }) {
  const percent = Math.floor(value * 100);
  return (
    <div className="waiting-room-progress">
      <div
        className="waiting-room-bar"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        data-testid="queue-progress"
      >
        <span style={{ width: `${Math.max(2, percent)}%` }} />
      </div>
      <span className="waiting-room-percent" aria-hidden="true">
        {percent}%
      </span>
    </div>
  );
}

function FairnessNote(props: {
  view: QueueView;
  settings: Queue | null | undefined;
  eventId: string;
}) {
  const { view, settings, eventId } = props;
  const ticketId = 'ticketId' in view ? view.ticketId : null;
  const commitment = settings?.seedCommitment;
  const drawn = view.kind !== 'prequeue' && ticketId !== null;
  const origin = window.location.origin;
  const auditUrl = `${origin}/api/events/${encodeURIComponent(eventId)}/queue/audit`;
  return (
    <details className="waiting-room-fairness">
      <summary>How the line is kept fair</summary>
      <p>
        Places for everyone who arrives before sales start are drawn at random from a secret seed,
        fixed before anyone joined. Its fingerprint (SHA-256) is published from the start, so the
        seed cannot be changed afterwards{commitment === undefined ? '.' : ':'}
      </p>
      {commitment !== undefined && (
        <p>
          <code className="waiting-room-hash" data-testid="seed-commitment">
            {commitment}
          </code>
        </p>
      )}
      {ticketId !== null && (
        <p>
          Your entry in the draw: <code>{ticketId}</code>
        </p>
      )}
      {drawn ? (
        <p>
          The seed and every place are published in the <a href={auditUrl}>draw's record</a>. To
          check it yourself, run{' '}
          <code>
            npm run verify-draw -- {origin} {eventId}
          </code>{' '}
          in a Ticketmain checkout.
        </p>
      ) : (
        <p>After the draw, the seed and every place are published so anyone can check them.</p>
      )}
    </details>
  );
}

/** "It's your turn": shown above the open map while the admission lasts, with its countdown. */
export function AdmissionBanner({ queue, clock }: { queue: QueueController; clock: ServerClock }) {
  const view = useQueueView(queue, clock);
  const heading = useRef<HTMLHeadingElement>(null);
  const admitted = view.kind === 'admitted';
  useEffect(() => {
    // The moment the map opens: keyboard and screen-reader users start at the news, unless
    // they were busy elsewhere on the page.
    const active = document.activeElement;
    const idle = active === null || active === document.body || active.closest('.waiting-room');
    if (admitted && idle) heading.current?.focus({ preventScroll: true });
  }, [admitted]);
  if (view.kind !== 'admitted') return null;
  const remaining = view.admittedUntil - clock.now();
  return (
    <section className="admission-banner" data-testid="admission" aria-labelledby="admission-title">
      <h2 id="admission-title" ref={heading} tabIndex={-1}>
        It's your turn
      </h2>
      <p>
        Choose your seats now: you can hold seats for{' '}
        <span
          role="timer"
          className={remaining < 60_000 ? 'admission-time is-warn' : 'admission-time'}
          data-testid="admission-countdown"
          data-remaining-seconds={Math.ceil(Math.max(0, remaining) / 1000)}
        >
          {formatClock(remaining)}
        </span>
        .
      </p>
    </section>
  );
}

/** The polite live region: each new phase at once, a changed place at most every 30 s. */
export function QueueAnnouncer({ queue, clock }: { queue: QueueController; clock: ServerClock }) {
  const view = useQueueView(queue, clock);
  const [spoken, setSpoken] = useState<Spoken | null>(null);
  const next = announcement(view);
  const key = next?.key ?? null;
  const text = next?.text ?? '';
  const now = clock.now();
  useEffect(() => {
    setSpoken((last) => nextAnnouncement(last, key === null ? null : { key, text }, now));
  }, [key, text, now]);
  return (
    <p className="visually-hidden" role="status" aria-live="polite" data-testid="queue-announcer">
      {spoken?.text ?? ''}
    </p>
  );
}
