// Time left on the earliest hold of the cart, ticking every quarter second.
import type { ServerClock } from '../net/clock';
import { earliestExpiry, formatCountdown } from '../state/cart';
import type { LiveState } from '../state/live';
import { WARN_MS } from '../state/hold-timer';
import { useNow } from './hooks';

export function Countdown({ mine, clock }: { mine: LiveState['mine']; clock: ServerClock }) {
  useNow(250); // re-renders; the time itself is read now, not when the tick was scheduled
  const now = clock.now();
  const expiresAt = earliestExpiry(mine);
  if (expiresAt === null) return null;
  const remaining = Math.max(0, expiresAt - now);
  return (
    // role="timer": readable on demand, never announced by itself (the warning is, HoldWarning).
    <p
      role="timer"
      className={remaining <= WARN_MS ? 'countdown countdown-warn' : 'countdown'}
      data-testid="countdown"
      data-remaining-seconds={Math.ceil(remaining / 1000)}
    >
      <span>{mine.size > 1 ? 'First hold expires in' : 'Hold expires in'}</span>
      <time dateTime={`PT${Math.ceil(remaining / 1000)}S`}>{formatCountdown(remaining)}</time>
    </p>
  );
}
