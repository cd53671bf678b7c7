// The waiting room as the buyer sees it, pure: the server's entry merged with the live queue
// frames, turned into one view (what to show, what to announce) at a given time.
import { conforms, Queue, type QueueEntry, type QueueMessage } from '@ticketmain/protocol';

/**
 * The event detail's `queue`: the settings, null (no waiting room), or undefined when the
 * detail does not say (a server from before the field) and the queue's own routes must tell.
 */
export function queueSettingsOf(detail: object): Queue | null | undefined {
  if (!('queue' in detail)) return undefined;
  const value: unknown = detail.queue;
  if (value === null) return null;
  return conforms(Queue, value) ? value : undefined;
}

/** Where the page is in getting the buyer into line (before the server has an entry for them). */
export type QueueStep =
  | { step: 'checking' }
  | { step: 'notOpen'; opensAt: number }
  | { step: 'solving'; progress: number }
  | { step: 'joining' }
  | { step: 'joined'; entry: QueueEntry }
  | { step: 'failed'; message: string };

export interface QueueState {
  /** null: the event has no waiting room (or none was found): the map is open. */
  step: QueueStep | null;
  /** The latest frame of the queue (WebSocket); null until one came. */
  frame: QueueMessage | null;
  /** servedThrough when the buyer first had a number: where their progress bar starts. */
  baseline: number | null;
}

export const initialQueueState: QueueState = {
  step: { step: 'checking' },
  frame: null,
  baseline: null,
};

/** What the waiting room shows; `locked`: holds are refused, the map is behind the room. */
export type QueueView =
  | { kind: 'open' }
  | { kind: 'checking'; locked: true }
  | { kind: 'notOpen'; locked: true; opensAt: number }
  | { kind: 'solving'; locked: true; progress: number }
  | { kind: 'joining'; locked: true }
  | { kind: 'prequeue'; locked: true; ticketId: string }
  | {
      kind: 'waiting';
      locked: true;
      ticketId: string;
      number: number;
      servedThrough: number;
      /** number − servedThrough: 1 is next. */
      place: number;
      etaSeconds: number | null;
      paused: boolean;
      progress: number;
    }
  /** The line reached the buyer's number; the admission's end is being fetched. */
  | { kind: 'turn'; locked: true; ticketId: string; number: number }
  | { kind: 'admitted'; locked: false; ticketId: string; number: number; admittedUntil: number }
  | { kind: 'expired'; locked: true; ticketId: string }
  | { kind: 'closed'; locked: true; ticketId: string }
  | { kind: 'failed'; locked: true; message: string };

/** A new entry from the server; the progress bar starts at the first servedThrough seen. */
export function withEntry(state: QueueState, entry: QueueEntry): QueueState {
  const baseline =
    state.baseline ?? (entry.number === null ? null : Math.min(entry.servedThrough, entry.number));
  return { ...state, step: { step: 'joined', entry }, baseline };
}

/** A queue frame; servedThrough never goes back (a late frame from another replica). */
export function withFrame(state: QueueState, frame: QueueMessage): QueueState {
  const before = state.frame?.servedThrough ?? 0;
  if (frame.servedThrough < before) frame = { ...frame, servedThrough: before };
  return { ...state, frame };
}

/** The line's progress as the buyer knows it: the later of the entry's and the frame's. */
export function servedThrough(entry: QueueEntry, frame: QueueMessage | null): number {
  return Math.max(entry.servedThrough, frame?.servedThrough ?? 0);
}

export function placeInLine(number: number, served: number): number {
  return Math.max(0, number - served);
}

/** Seconds until `place` is reached at `admitPerMinute`; null when nobody is being let in. */
export function estimateWaitSeconds(
  place: number,
  admitPerMinute: number,
  paused: boolean,
): number | null {
  if (paused || admitPerMinute <= 0) return null;
  return Math.ceil((place * 60) / admitPerMinute);
}

/** From the number the buyer started at (their baseline) to their turn, in [0, 1]. */
export function lineProgress(number: number, served: number, baseline: number): number {
  const span = number - baseline;
  if (span <= 0) return 1;
  return Math.min(1, Math.max(0, (served - baseline) / span));
}

export function queueView(state: QueueState, now: number): QueueView {
  const { step, frame } = state;
  if (step === null) return { kind: 'open' };
  switch (step.step) {
    case 'checking':
      return { kind: 'checking', locked: true };
    case 'notOpen':
      return { kind: 'notOpen', locked: true, opensAt: step.opensAt };
    case 'solving':
      return { kind: 'solving', locked: true, progress: step.progress };
    case 'joining':
      return { kind: 'joining', locked: true };
    case 'failed':
      return { kind: 'failed', locked: true, message: step.message };
    case 'joined':
      return entryView(step.entry, frame, state.baseline, now);
  }
}

function entryView(
  entry: QueueEntry,
  frame: QueueMessage | null,
  baseline: number | null,
  now: number,
): QueueView {
  const { ticketId, number } = entry;
  switch (entry.status) {
    case 'prequeue':
      return { kind: 'prequeue', locked: true, ticketId };
    case 'expired':
      return { kind: 'expired', locked: true, ticketId };
    case 'closed':
      return { kind: 'closed', locked: true, ticketId };
    case 'admitted': {
      const until = entry.admittedUntil === null ? now : Date.parse(entry.admittedUntil);
      if (until <= now) return { kind: 'expired', locked: true, ticketId };
      return {
        kind: 'admitted',
        locked: false,
        ticketId,
        number: number ?? 0,
        admittedUntil: until,
      };
    }
    case 'waiting': {
      if (number === null) return { kind: 'prequeue', locked: true, ticketId };
      const served = servedThrough(entry, frame);
      if (served >= number) return { kind: 'turn', locked: true, ticketId, number };
      const place = placeInLine(number, served);
      const paused = frame?.paused ?? false;
      // The frame's rate is live; before one comes, the server's own estimate.
      const etaSeconds =
        frame === null
          ? entry.etaSeconds
          : estimateWaitSeconds(place, frame.admitPerMinute, paused);
      const start = baseline ?? Math.min(entry.servedThrough, number);
      const progress = lineProgress(number, served, start);
      return {
        kind: 'waiting',
        locked: true,
        ticketId,
        number,
        servedThrough: served,
        place,
        etaSeconds,
        paused,
        progress,
      };
    }
  }
}

const count = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "less than a minute", "about 4 minutes", "about 1 hour 20 minutes"; null: unknown. */
export function formatWait(seconds: number | null): string | null {
  if (seconds === null) return null;
  if (seconds < 60) return 'less than a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${count(minutes, 'minute', 'minutes')}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  // Past an hour, five minutes either way is all an estimate is worth.
  const rounded = Math.round(rest / 5) * 5;
  if (rounded === 0 || rounded === 60) {
    return `about ${count(rounded === 60 ? hours + 1 : hours, 'hour', 'hours')}`;
  }
  return `about ${count(hours, 'hour', 'hours')} ${count(rounded, 'minute', 'minutes')}`;
}

/** An admission's length: "45 seconds", "10 minutes", "1 hour 30 minutes". */
export function formatSpan(seconds: number): string {
  if (seconds < 60) return count(seconds, 'second', 'seconds');
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return count(minutes, 'minute', 'minutes');
  const rest = minutes % 60;
  const hours = count(Math.floor(minutes / 60), 'hour', 'hours');
  return rest === 0 ? hours : `${hours} ${count(rest, 'minute', 'minutes')}`;
}

/** A countdown: "4:09", "1:05:03", "2 days 3:00:00"; never negative. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock =
    hours > 0 || days > 0
      ? `${hours}:${pad(minutes)}:${pad(seconds)}`
      : `${minutes}:${pad(seconds)}`;
  return days > 0 ? `${count(days, 'day', 'days')} ${clock}` : clock;
}

/** "People ahead of you": those with a smaller number not yet let in. */
export function aheadOf(place: number): number {
  return Math.max(0, place - 1);
}

/**
 * The sentence a screen reader hears for a view. Its `key` changes only when the news is worth
 * interrupting for at once (a new phase); within a phase, only the text changes.
 */
export function announcement(view: QueueView): { key: string; text: string } | null {
  switch (view.kind) {
    case 'open':
    case 'checking':
    case 'joining':
    case 'solving':
      return null;
    case 'notOpen':
      return { key: 'notOpen', text: 'The waiting room is not open yet.' };
    case 'prequeue':
      return {
        key: 'prequeue',
        text: 'You are in the waiting room. Your place in line is drawn when sales start.',
      };
    case 'waiting': {
      const wait = formatWait(view.etaSeconds);
      const ahead = count(aheadOf(view.place), 'person', 'people');
      const eta = view.paused
        ? 'The line is paused.'
        : wait === null
          ? ''
          : `Estimated wait ${wait}.`;
      return { key: 'waiting', text: `${ahead} ahead of you. ${eta}`.trim() };
    }
    case 'turn':
    case 'admitted':
      return { key: 'admitted', text: "It's your turn: the seat map is open." };
    case 'expired':
      return { key: 'expired', text: 'Your shopping time is over.' };
    case 'closed':
      return { key: 'closed', text: 'The event is sold out.' };
    case 'failed':
      return { key: 'failed', text: view.message };
  }
}

/** Within a phase, an updated place is spoken at most this often. */
export const ANNOUNCE_EVERY_MS = 30_000;

export interface Spoken {
  key: string;
  text: string;
  at: number;
}

/**
 * What the polite live region should say now: a new phase at once, a changed text within the
 * same phase only once ANNOUNCE_EVERY_MS has passed since the last one; else `last` unchanged.
 */
export function nextAnnouncement(
  last: Spoken | null,
  next: { key: string; text: string } | null,
  now: number,
  everyMs = ANNOUNCE_EVERY_MS,
): Spoken | null {
  if (next === null) return last;
  if (last === null || last.key !== next.key) return { ...next, at: now };
  if (last.text === next.text || now - last.at < everyMs) return last;
  return { ...next, at: now };
}
