// The card of a chosen general-admission area: how many places (− / number / +, bounded by the
// session's limit and the places left) and "Hold N". The answer is said in a status line.
import { useEffect, useRef, useState } from 'react';
import type { EventController } from '../../app/event-controller';
import { formatMoney } from '../../state/format';
import {
  availableIn,
  clampQuantity,
  placesLeftText,
  stepperBounds,
  stepperLimitText,
} from '../../state/ga';
import type { GaAreaInfo, Venue } from '../../state/venue';
import { useObservable, useSelected } from '../hooks';

interface Props {
  area: GaAreaInfo;
  venue: Venue;
  controller: EventController;
  onClose: () => void;
}

export function GaCard({ area, venue, controller, onClose }: Props) {
  const available = useSelected(controller.live, (s) => availableIn(s.areas, area));
  const held = useSelected(controller.live, (s) => s.mine.size + s.places.size);
  const limit = useObservable(controller.seatLimit);
  const bounds = stepperBounds(limit, held, available);
  const [wanted, setWanted] = useState(1);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  const quantity = clampQuantity(wanted, bounds);
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), [area.id]);

  const hold = async () => {
    if (busy || quantity < 1) return;
    setBusy(true);
    setOutcome(null);
    const result = await controller.holdPlaces(area.id, quantity);
    setBusy(false);
    setOutcome(result);
    if (result.ok) setWanted(1);
  };
  const why = stepperLimitText(bounds, limit, held, available);
  const inputId = `ga-quantity-${area.id}`;
  return (
    <section
      className="seat-card ga-card"
      data-testid="ga-card"
      data-section-id={area.id}
      aria-labelledby={`${inputId}-title`}
    >
      <div className="seat-card-text">
        <h2 id={`${inputId}-title`} className="seat-card-title" ref={title} tabIndex={-1}>
          {area.name}
        </h2>
        <p className="seat-card-detail">
          <strong>{formatMoney(area.price, venue.currency)}</strong> · {placesLeftText(available)}
        </p>
        <div className="ga-stepper" role="group" aria-label="Quantity">
          <button
            type="button"
            aria-label="One place fewer"
            disabled={quantity <= bounds.min}
            onClick={() => setWanted(quantity - 1)}
          >
            −
          </button>
          <label className="visually-hidden" htmlFor={inputId}>
            Places
          </label>
          <input
            id={inputId}
            type="number"
            inputMode="numeric"
            min={bounds.min}
            max={bounds.max}
            value={quantity}
            disabled={bounds.max === 0}
            aria-describedby={why ? `${inputId}-why` : undefined}
            onChange={(e) => setWanted(Number(e.target.value))}
          />
          <button
            type="button"
            aria-label="One place more"
            disabled={quantity >= bounds.max}
            onClick={() => setWanted(quantity + 1)}
          >
            +
          </button>
        </div>
        {why && (
          <p id={`${inputId}-why`} className="ga-why">
            {why}
          </p>
        )}
        <p className="ga-outcome" role="status" data-testid="ga-outcome" data-ok={outcome?.ok}>
          {outcome?.message ?? ''}
        </p>
      </div>
      <button
        type="button"
        className="seat-card-hold"
        disabled={busy || bounds.max === 0}
        aria-busy={busy}
        onClick={() => void hold()}
      >
        {busy ? 'Holding…' : quantity > 0 ? `Hold ${quantity}` : 'Hold'}
      </button>
      <button type="button" className="seat-card-close" aria-label="Close" onClick={onClose}>
        ×
      </button>
    </section>
  );
}
