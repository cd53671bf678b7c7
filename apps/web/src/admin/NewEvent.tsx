// A new event: its name, date and currency, and a venue either generated from sections × rows ×
// seats with prices or uploaded as a layout file (checked against the contract's schema, each
// problem shown with its line), previewed as buyers will see it, then created.
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError, type TicketmainClient } from '@ticketmain/client';
import type { VenueLayout } from '@ticketmain/protocol';
import { navigate } from '../app/router';
import { useFocusOnNavigation } from '../components/hooks';
import { generateLayout, seatCount, type SectionSpec } from './generate-layout';
import { LayoutPreview } from './LayoutPreview';
import { parseLayoutText, type ParsedLayout } from './layout-text';

const CURRENCIES = ['USD', 'EUR', 'GBP', 'CHF', 'JPY'] as const;
const MAX_ROWS = 200;
const MAX_SEATS_PER_ROW = 200;

interface SectionForm {
  name: string;
  /** In whole units of the currency, as typed. */
  price: string;
  rows: string;
  seatsPerRow: string;
}

/** The columns of the section table, in order. */
const SECTION_FIELDS: {
  key: keyof SectionForm;
  label: string;
  inputMode?: 'decimal' | 'numeric';
}[] = [
  { key: 'name', label: 'name' },
  { key: 'price', label: 'price', inputMode: 'decimal' },
  { key: 'rows', label: 'rows', inputMode: 'numeric' },
  { key: 'seatsPerRow', label: 'seats per row', inputMode: 'numeric' },
];

const FIRST_SECTIONS: SectionForm[] = [
  { name: 'Front', price: '120', rows: '6', seatsPerRow: '16' },
  { name: 'Back', price: '60', rows: '10', seatsPerRow: '20' },
];

function inTwoWeeks(): string {
  const at = new Date(Date.now() + 14 * 86_400_000);
  at.setHours(20, 0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T20:00`;
}

/** The generator's sections from the form, or the first thing wrong with them. */
function sectionSpecs(forms: SectionForm[]): SectionSpec[] | string {
  const specs: SectionSpec[] = [];
  for (const [i, form] of forms.entries()) {
    const label = form.name.trim() || `Section ${i + 1}`;
    const price = Number(form.price);
    const rows = Number(form.rows);
    const seats = Number(form.seatsPerRow);
    if (form.name.trim() === '') return `Section ${i + 1} needs a name.`;
    if (!Number.isFinite(price) || price < 0) return `${label}: the price must be 0 or more.`;
    if (!Number.isInteger(rows) || rows < 1 || rows > MAX_ROWS)
      return `${label}: rows must be a whole number from 1 to ${MAX_ROWS}.`;
    if (!Number.isInteger(seats) || seats < 1 || seats > MAX_SEATS_PER_ROW)
      return `${label}: seats per row must be a whole number from 1 to ${MAX_SEATS_PER_ROW}.`;
    specs.push({
      name: form.name.trim(),
      price: Math.round(price * 100),
      rows,
      seatsPerRow: seats,
    });
  }
  return specs.length === 0 ? 'Add at least one section.' : specs;
}

export function NewEvent({ api }: { api: TicketmainClient }) {
  const heading = useFocusOnNavigation<HTMLHeadingElement>();
  const [name, setName] = useState('');
  const [startsAt, setStartsAt] = useState(inTwoWeeks);
  const [currency, setCurrency] = useState<string>('USD');
  const [mode, setMode] = useState<'generate' | 'upload'>('generate');
  const [venueName, setVenueName] = useState('Main Hall');
  const [sections, setSections] = useState(FIRST_SECTIONS);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const generated = useMemo((): ParsedLayout | string => {
    const specs = sectionSpecs(sections);
    if (typeof specs === 'string') return specs;
    return {
      ok: true,
      layout: generateLayout({ venueName, stageLabel: 'Stage', sections: specs }),
    };
  }, [sections, venueName]);
  const uploaded = useMemo(() => (text.trim() === '' ? null : parseLayoutText(text)), [text]);
  const current = mode === 'generate' ? generated : uploaded;
  const layout: VenueLayout | null =
    current !== null && typeof current !== 'string' && current.ok ? current.layout : null;
  const seats = layout === null ? 0 : seatCount(layout);

  const setSection = (i: number, change: Partial<SectionForm>) =>
    setSections((all) => all.map((s, k) => (k === i ? { ...s, ...change } : s)));

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
          <div className="admin-generate">
            <label>
              Venue name
              <input value={venueName} onChange={(e) => setVenueName(e.target.value)} />
            </label>
            <div className="admin-scroll">
              <table className="admin-table admin-section-form">
                <caption>Sections, left to right</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Price ({currency})</th>
                    <th scope="col">Rows</th>
                    <th scope="col">Seats per row</th>
                    <th scope="col">
                      <span className="visually-hidden">Remove</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {sections.map((s, i) => (
                    <tr key={i}>
                      {SECTION_FIELDS.map(({ key, label, inputMode }) => (
                        <td key={key}>
                          <input
                            aria-label={`Section ${i + 1} ${label}`}
                            inputMode={inputMode}
                            value={s[key]}
                            onChange={(e) => setSection(i, { [key]: e.target.value })}
                          />
                        </td>
                      ))}
                      <td>
                        <button
                          type="button"
                          className="admin-secondary"
                          aria-label={`Remove section ${i + 1}`}
                          onClick={() => setSections((all) => all.filter((_, k) => k !== i))}
                          disabled={sections.length === 1}
                        >
                          ×
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <button
              type="button"
              className="admin-secondary"
              onClick={() =>
                setSections((all) => [
                  ...all,
                  { name: `Section ${all.length + 1}`, price: '50', rows: '8', seatsPerRow: '12' },
                ])
              }
            >
              Add a section
            </button>
            {typeof generated === 'string' && (
              <p className="admin-error" role="alert">
                {generated}
              </p>
            )}
          </div>
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

        {layout !== null && <LayoutPreview layout={layout} seats={seats} />}

        {error !== null && (
          <p className="admin-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="admin-primary" disabled={busy} aria-busy={busy}>
          {busy
            ? 'Creating…'
            : `Create the event${seats > 0 ? ` (${seats.toLocaleString('en-US')} seats)` : ''}`}
        </button>
      </form>
    </main>
  );
}
