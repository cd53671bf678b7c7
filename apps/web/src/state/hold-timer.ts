// When the buyer is warned that their holds run out, and what is announced to screen readers:
// pure, with the time passed in (the clock is the server's).

/** The warning comes this long before the earliest hold lapses. */
export const WARN_MS = 60_000;

export type HoldPhase = 'none' | 'counting' | 'warning' | 'expired';

/** Where the cart's earliest hold stands at `now`; `none` for an empty cart. */
export function holdPhase(earliest: number | null, now: number): HoldPhase {
  if (earliest === null) return 'none';
  const remaining = earliest - now;
  if (remaining <= 0) return 'expired';
  return remaining <= WARN_MS ? 'warning' : 'counting';
}

/** The buyer's request for more time: asked at most once per cart of holds. */
export type Extension =
  | { state: 'idle' }
  | { state: 'asking' }
  | { state: 'granted' }
  | { state: 'refused'; message: string };

/** The banner shows from the warning on, unless more time was granted (it hides then). */
export function showWarning(phase: HoldPhase, extension: Extension): boolean {
  return phase === 'warning' && extension.state !== 'granted';
}

/** The "More time" button is offered once: until it was asked for. */
export function canAskMoreTime(extension: Extension): boolean {
  return extension.state === 'idle';
}

/** "Your seats are held for 1 more minute" at 60 s and "… 2 more minutes" above. */
export function warningText(remainingMs: number): string {
  const minutes = Math.max(1, Math.ceil(remainingMs / 60_000));
  return `Your seats are held for ${minutes} more ${minutes === 1 ? 'minute' : 'minutes'}`;
}

/**
 * What the polite live region says: only when the phase changes to the warning or to expiry,
 * never on each tick of the countdown.
 */
export function announcement(phase: HoldPhase, remainingMs: number): string {
  if (phase === 'warning') return `${warningText(remainingMs)}.`;
  if (phase === 'expired') return 'Your hold has expired.';
  return '';
}
