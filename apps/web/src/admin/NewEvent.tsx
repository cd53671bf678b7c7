// A new event: its name, date and currency, and a venue either generated from sections × rows ×
// seats and general-admission areas with prices, or uploaded as a layout file (checked against the contract's schema, each
// problem shown with its line), previewed as buyers will see it, then created.
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError, type TicketmainClient } from '@ticketmain/client';
import type { VenueLayout } from '@ticketmain/protocol';
import { navigate } from '../app/router';
import { useFocusOnNavigation } from '../components/hooks';
import { generateLayout, placeCount, seatCount } from './generate-layout';
import { FIRST_SECTIONS, generatorSpecs, type AreaForm } from './generator-form';
import { LayoutGenerator } from './LayoutGenerator';
import { LayoutPreview } from './LayoutPreview';
import { parseLayoutText, type ParsedLayout } from './layout-text';

const CURRENCIES = ['USD', 'EUR', 'GBP', 'CHF', 'JPY'] as const;

function inTwoWeeks(): string {
  const at = new Date(Date.now() + 14 * 86_400_000);
  at.setHours(20, 0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T20:00`;
}

export function NewEvent({ api }: { api: TicketmainClient }) {
  const heading = useFocusOnNavigation<HTMLHeadingElement>();
  const [name, setName] = useState('');
  const [startsAt, setStartsAt] = useState(inTwoWeeks);
  const [currency, setCurrency] = useState<string>('USD');
  const [mode, setMode] = useState<'generate' | 'upload'>('generate');
  const [venueName, setVenueName] = useState('Main Hall');
  const [sections, setSections] = useState(FIRST_SECTIONS);
  const [areas, setAreas] = useState<AreaForm[]>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const generated = useMemo((): ParsedLayout | string => {
    const specs = generatorSpecs(sections, areas);
    if (typeof specs === 'string') return specs;
    return { ok: true, layout: generateLayout({ venueName, stageLabel: 'Stage', ...specs }) };
  }, [sections, areas, venueName]);
  const uploaded = useMemo(() => (text.trim() === '' ? null : parseLayoutText(text)), [text]);
  const current = mode === 'generate' ? generated : uploaded;
  const layout: VenueLayout | null =
    current !== null && typeof current !== 'string' && current.ok ? current.layout : null;
  const seats = layout === null ? 0 : seatCount(layout);
  const places = layout === null ? 0 : placeCount(layout);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (name.trim() === '') return setError('The event needs a name.');
    if (layout === null) return setError('The venue has problems: see above.');
    const when = new Date(startsAt);
    if (Number.isNaN(when.getTime())) return setError('The date is not valid.');
    setBusy(true);
    try {
      const created = await api.createEvent({
        name: name.trim(),
        venue: layout,
        startsAt: when.toISOString(),
        currency,
      });
      navigate(`/admin/events/${encodeURIComponent(created.id)}`);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.detail : 'The server could not be reached.');
      setBusy(false);
    }
  };

  return (
    <main className="admin-page">
      <h1 ref={heading} tabIndex={-1}>
        New event
      </h1>
      <form className="admin-card admin-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="admin-fields">
          <label>
            Event name
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={200}
              required
            />
          </label>
          <label>
            Date and time
            <input
              type="datetime-local"
              value={startsAt}
              onChange={(e) => setStartsAt(e.target.value)}
              required
            />
          </label>
          <label>
            Currency
            <select value={currency} onChange={(e) => setCurrency(e.target.value)}>
              {CURRENCIES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
        </div>

        <fieldset className="admin-mode">
          <legend>Venue</legend>
          <label>
            <input
              type="radio"
              name="mode"
              checked={mode === 'generate'}
              onChange={() => setMode('generate')}
            />
            Generate from sections
          </label>
          <label>
            <input
              type="radio"
              name="mode"
              checked={mode === 'upload'}
              onChange={() => setMode('upload')}
            />
            Upload a layout file
          </label>
        </fieldset>

        {mode === 'generate' ? (
          <LayoutGenerator
            currency={currency}
            venueName={venueName}
            onVenueName={setVenueName}
            sections={sections}
            onSections={setSections}
            areas={areas}
            onAreas={setAreas}
            problem={typeof generated === 'string' ? generated : null}
          />
        ) : (
          <div className="admin-upload">
            <label>
              Layout file (JSON, as <code>venue-layout.schema.json</code> describes)
              <input
                type="file"
                accept="application/json,.json"
                onChange={(e) => void e.target.files?.[0]?.text().then(setText)}
              />
            </label>
            <label>
              Or paste it here
              <textarea
                value={text}
                onChange={(e) => setText(e.target.value)}
                rows={10}
                spellCheck={false}
                aria-describedby="layout-problems"
              />
            </label>
            <div id="layout-problems" aria-live="polite">
              {uploaded !== null && !uploaded.ok && (
                <ul className="admin-problems" data-testid="layout-problems">
                  {uploaded.problems.map((p, i) => (
                    <li key={i} data-line={p.line}>
                      <strong>Line {p.line}</strong>: {p.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        )}

        {layout !== null && <LayoutPreview layout={layout} currency={currency} />}

        {error !== null && (
          <p className="admin-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="admin-primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Creating…' : `Create the event${sizeText(seats, places)}`}
        </button>
      </form>
    </main>
  );
}

/** " (272 seats)", " (272 seats, 500 GA places)", " (500 GA places)", or nothing. */
function sizeText(seats: number, places: number): string {
  const parts = [
    ...(seats > 0 ? [`${seats.toLocaleString('en-US')} seats`] : []),
    ...(places > 0 ? [`${places.toLocaleString('en-US')} GA places`] : []),
  ];
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}
