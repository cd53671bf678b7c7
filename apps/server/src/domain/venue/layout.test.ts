import { describe, expect, it } from 'vitest';
import {
  MAX_VENUE_SEATS,
  seatedSections,
  type LayoutSection,
  type VenueLayout,
} from '@ticketmain/protocol';
import { countSeats, indexLayout, validateLayout } from './layout.js';

function seats(prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i + 1}`,
    number: i + 1,
    x: i,
    y: 0,
  }));
}

function venue(sections: LayoutSection[]): VenueLayout {
  const stage = { x: 0, y: -50, width: 100, height: 20, label: 'Stage' };
  return { name: 'Test Hall', stage, sections };
}

const small = (): VenueLayout =>
  venue([
    {
      id: 'front',
      name: 'Front',
      price: 5_000,
      rows: [
        { label: 'A', seats: seats('A', 3) },
        { label: 'B', seats: seats('B', 2) },
      ],
    },
    { id: 'back', name: 'Back', price: 2_000, rows: [{ label: 'A', seats: seats('Z', 4) }] },
  ]);

describe('validateLayout', () => {
  it('accepts a sound layout, even with the same row label in two sections', () => {
    expect(validateLayout(small())).toEqual([]);
  });

  it('finds a seat number used twice in a row', () => {
    const layout = small();
    seatedSections(layout)[0]!.rows[0]!.seats[1]!.number = 1;
    expect(validateLayout(layout)).toEqual([
      'Duplicate seat numbers in row "A" of section "front": "1".',
    ]);
  });

  it('finds a seat id used twice across sections', () => {
    const layout = small();
    seatedSections(layout)[1]!.rows[0]!.seats[0]!.id = 'A2';
    expect(validateLayout(layout)).toEqual(['Duplicate seat ids: "A2".']);
  });

  it('finds duplicate section ids', () => {
    const layout = small();
    layout.sections[1]!.id = 'front';
    expect(validateLayout(layout)).toEqual(['Duplicate section ids: "front".']);
  });

  it('finds duplicate row labels within a section', () => {
    const layout = small();
    seatedSections(layout)[0]!.rows[1]!.label = 'A';
    expect(validateLayout(layout)).toEqual(['Duplicate row labels in section "front": "A".']);
  });

  it('finds a venue with no seats', () => {
    const layout = venue([{ id: 'empty', name: 'Empty', price: 0, rows: [] }]);
    expect(validateLayout(layout)).toEqual(['The venue has no seats.']);
  });

  it('finds a venue over the seat limit', () => {
    const layout = venue([
      {
        id: 'huge',
        name: 'Huge',
        price: 0,
        rows: [{ label: 'A', seats: seats('A', MAX_VENUE_SEATS + 1) }],
      },
    ]);
    expect(validateLayout(layout)).toEqual([
      `The venue has ${MAX_VENUE_SEATS + 1} seats; at most ${MAX_VENUE_SEATS} are allowed.`,
    ]);
  });

  it('lists at most ten duplicate names in one problem', () => {
    const layout = venue([
      { id: 'a', name: 'A', price: 0, rows: [{ label: 'A', seats: seats('S', 12) }] },
      { id: 'b', name: 'B', price: 0, rows: [{ label: 'A', seats: seats('S', 12) }] },
    ]);
    const [problem] = validateLayout(layout);
    expect(problem).toMatch(/^Duplicate seat ids: "S1", .*"S10" and 2 more\.$/);
  });
});

describe('indexLayout', () => {
  it('flattens the seats in layout order with their section and row', () => {
    const index = indexLayout(small());
    expect(index.seatCount).toBe(9);
    expect(index.seats.map((seat) => seat.id)).toEqual([
      'A1',
      'A2',
      'A3',
      'B1',
      'B2',
      'Z1',
      'Z2',
      'Z3',
      'Z4',
    ]);
    expect(index.seats[3]).toEqual({
      id: 'B1',
      sectionId: 'front',
      row: 'B',
      number: 1,
      x: 0,
      y: 0,
    });
    expect(index.sections).toEqual([
      { id: 'front', name: 'Front', price: 5_000, kind: 'seated' },
      { id: 'back', name: 'Back', price: 2_000, kind: 'seated' },
    ]);
  });

  it('finds a seat and its price by id', () => {
    const index = indexLayout(small());
    expect(index.seatById.get('Z2')).toEqual({
      id: 'Z2',
      sectionId: 'back',
      row: 'A',
      number: 2,
      x: 1,
      y: 0,
      price: 2_000,
      left: 'Z1',
      right: 'Z3',
    });
    expect(index.seatById.get('nope')).toBeUndefined();
    expect(index.seatById.size).toBe(countSeats(small()));
  });

  it('gives each seat its row neighbours by number: none past a row end or a gap', () => {
    const layout = small();
    const row = seatedSections(layout)[0]!.rows[0]!;
    row.seats = [...row.seats, { id: 'A5', number: 5, x: 4, y: 0 }];
    const { seatById } = indexLayout(layout);
    expect([seatById.get('A1')?.left, seatById.get('A1')?.right]).toEqual([undefined, 'A2']);
    expect([seatById.get('A3')?.left, seatById.get('A3')?.right]).toEqual(['A2', undefined]);
    expect([seatById.get('A5')?.left, seatById.get('A5')?.right]).toEqual([undefined, undefined]);
    // The same numbers in another row or section are no neighbours.
    expect(seatById.get('B2')?.right).toBeUndefined();
  });

  it("takes the layout's focus, else the stage's centre", () => {
    expect(indexLayout(small()).focus).toEqual({ x: 50, y: -40 });
    expect(indexLayout({ ...small(), focus: { x: 3, y: 4 } }).focus).toEqual({ x: 3, y: 4 });
  });

  it('keeps the API seats free of prices', () => {
    expect(Object.keys(indexLayout(small()).seats[0]!)).not.toContain('price');
  });
});
