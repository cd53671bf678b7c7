// "Best available": the buyer says how many seats, and optionally up to which price and in which
// section, and the server picks and holds the best ones. The map then rings them and brings them
// into view (SeatMap follows controller.picked); the outcome is said in words, politely.
import { useId, useMemo, useState, type FormEvent } from 'react';
import type { EventController } from '../app/event-controller';
import { pricesOf, seatedSections, type BestChoice } from '../state/best';
import { formatMoney } from '../state/format';
import type { Venue } from '../state/venue';
import { SeatQuantity, useSeatQuantity } from './SeatQuantity';

interface Props {
  controller: EventController;
  venue: Venue;
}

type Outcome = { tone: 'held' | 'refused'; message: string } | null;

export function BestAvailable({ controller, venue }: Props) {
  const id = useId();
  const [count, setQuantity, seatLimit] = useSeatQuantity(controller);
  const prices = useMemo(() => pricesOf(venue), [venue]);
  const sections = useMemo(() => seatedSections(venue), [venue]);
  const [maxPrice, setMaxPrice] = useState('');
  const [sectionId, setSectionId] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const price = maxPrice === '' ? undefined : Number(maxPrice);
  // Sections above the price chosen cannot match: they are not offered.
  const offered = sections.filter((s) => price === undefined || s.price <= price);
  const section = offered.some((s) => s.id === sectionId) ? sectionId : '';

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const choice: BestChoice = {
      quantity: count,
      ...(price !== undefined && { maxPrice: price }),
      ...(section !== '' && { sectionId: section }),
    };
    const result = await controller.holdBest(choice);
    setOutcome({ tone: result.ok ? 'held' : 'refused', message: result.message });
    setBusy(false);
  }

  return (
    <section className="best" data-testid="best-available" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Pick for me</h2>
      <form className="best-form" onSubmit={(e) => void submit(e)}>
        <SeatQuantity name="quantity" value={count} limit={seatLimit} onChange={setQuantity} />
        {prices.length > 1 && (
          <label className="best-field">
            <span>Price</span>
            <select name="maxPrice" value={maxPrice} onChange={(e) => setMaxPrice(e.target.value)}>
              <option value="">Any price</option>
              {prices.map((p) => (
                <option key={p} value={p}>
                  Up to {formatMoney(p, venue.currency)}
                </option>
              ))}
            </select>
          </label>
        )}
        {sections.length > 1 && (
          <label className="best-field best-section">
            <span>Section</span>
            <select name="section" value={section} onChange={(e) => setSectionId(e.target.value)}>
              <option value="">Any section</option>
              {offered.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" className="best-button" disabled={busy} aria-busy={busy}>
          {busy ? 'Finding seats…' : 'Best available'}
        </button>
      </form>
      <p
        className={outcome === null ? 'best-status' : `best-status is-${outcome.tone}`}
        data-testid="best-status"
        role="status"
        aria-live="polite"
      >
        {outcome?.message}
      </p>
    </section>
  );
}
