// The generator's part of the new-event form: the venue's name, its seated sections (name, price,
// rows, seats per row) and its general-admission areas (name, price, capacity), each a table of
// inputs with a row added or removed by a button.
import type { Dispatch, SetStateAction } from 'react';
import { newArea, newSection, type AreaForm, type SectionForm } from './generator-form';
import { ScrollBox } from './ScrollBox';

interface Column<Form> {
  key: keyof Form & string;
  /** Words in the input's accessible name: "Section 1 seats per row". */
  label: string;
  heading: string;
  inputMode?: 'decimal' | 'numeric';
}

interface Props {
  currency: string;
  venueName: string;
  onVenueName: (name: string) => void;
  sections: SectionForm[];
  onSections: Dispatch<SetStateAction<SectionForm[]>>;
  areas: AreaForm[];
  onAreas: Dispatch<SetStateAction<AreaForm[]>>;
  /** The first thing wrong with the form, or null. */
  problem: string | null;
}

export function LayoutGenerator(props: Props) {
  const { currency, sections, areas, onSections, onAreas } = props;
  // The venue needs one section or area: the last one left cannot be removed.
  const alone = sections.length + areas.length === 1;
  return (
    <div className="admin-generate">
      <label>
        Venue name
        <input value={props.venueName} onChange={(e) => props.onVenueName(e.target.value)} />
      </label>
      {sections.length > 0 && (
        <SpecTable
          caption="Sections, left to right"
          rowName="Section"
          removeName="section"
          columns={[
            { key: 'name', label: 'name', heading: 'Name' },
            { key: 'price', label: 'price', heading: `Price (${currency})`, inputMode: 'decimal' },
            { key: 'rows', label: 'rows', heading: 'Rows', inputMode: 'numeric' },
            {
              key: 'seatsPerRow',
              label: 'seats per row',
              heading: 'Seats per row',
              inputMode: 'numeric',
            },
          ]}
          rows={sections}
          onRows={onSections}
          alone={alone}
        />
      )}
      <button
        type="button"
        className="admin-secondary"
        onClick={() => onSections((all) => [...all, newSection(all.length + 1)])}
      >
        Add a section
      </button>
      {areas.length > 0 && (
        <SpecTable
          caption="General admission areas, in front of the seats"
          rowName="GA area"
          removeName="GA area"
          columns={[
            { key: 'name', label: 'name', heading: 'Name' },
            { key: 'price', label: 'price', heading: `Price (${currency})`, inputMode: 'decimal' },
            { key: 'capacity', label: 'capacity', heading: 'Places', inputMode: 'numeric' },
          ]}
          rows={areas}
          onRows={onAreas}
          alone={alone}
        />
      )}
      <button
        type="button"
        className="admin-secondary"
        onClick={() => onAreas((all) => [...all, newArea(all.length + 1)])}
      >
        Add a general admission area
      </button>
      {props.problem !== null && (
        <p className="admin-error" role="alert">
          {props.problem}
        </p>
      )}
    </div>
  );
}

function SpecTable<Form extends object>(props: {
  caption: string;
  rowName: string;
  /** The row's name in "Remove section 1". */
  removeName: string;
  columns: Column<Form>[];
  rows: Form[];
  onRows: Dispatch<SetStateAction<Form[]>>;
  alone: boolean;
}) {
  const { rowName, columns, rows, onRows } = props;
  const change = (i: number, key: keyof Form, value: string) =>
    onRows((all) => all.map((row, k) => (k === i ? { ...row, [key]: value } : row)));
  return (
    <ScrollBox label={props.caption}>
      <table className="admin-table admin-section-form">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col">
                {c.heading}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map(({ key, label, inputMode }) => (
                <td key={key}>
                  <input
                    aria-label={`${rowName} ${i + 1} ${label}`}
                    inputMode={inputMode}
                    value={String(row[key])}
                    onChange={(e) => change(i, key, e.target.value)}
                  />
                </td>
              ))}
              <td>
                <button
                  type="button"
                  className="admin-secondary"
                  aria-label={`Remove ${props.removeName} ${i + 1}`}
                  onClick={() => onRows((all) => all.filter((_, k) => k !== i))}
                  disabled={props.alone}
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}
