// The warning before the cart's first hold runs out, with the one "More time", and the polite
// live region that announces the warning and the expiry (never each tick of the countdown).
import type { EventController } from '../app/event-controller';
import type { ServerClock } from '../net/clock';
import { earliestExpiry } from '../state/cart';
import {
  announcement,
  canAskMoreTime,
  holdPhase,
  showWarning,
  warningText,
} from '../state/hold-timer';
import { useNow, useObservable, useSelected } from './hooks';

interface Props {
  controller: EventController;
  clock: ServerClock;
}

export function HoldWarning({ controller, clock }: Props) {
  const mine = useSelected(controller.live, (s) => s.mine);
  const extension = useObservable(controller.extension);
  useNow(250);
  const earliest = earliestExpiry(mine);
  const now = clock.now();
  const phase = holdPhase(earliest, now);
  const remaining = earliest === null ? 0 : earliest - now;
  const asking = extension.state === 'asking';

  return (
    <>
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="hold-announcer">
        {announcement(phase, remaining)}
      </p>
      {showWarning(phase, extension) && (
        <div className="hold-warning" data-testid="hold-warning">
          <p className="hold-warning-text">{warningText(remaining)}</p>
          {(canAskMoreTime(extension) || asking) && (
            <button
              type="button"
              className="more-time"
              onClick={() => void controller.moreTime()}
              disabled={asking}
              aria-busy={asking}
            >
              More time
            </button>
          )}
          {extension.state === 'refused' && (
            <p className="hold-warning-refusal" role="status">
              {extension.message}
            </p>
          )}
        </div>
      )}
    </>
  );
}
