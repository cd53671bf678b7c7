import { describe, expect, it } from 'vitest';
import { smallEvent } from '../testing/fixtures';
import { buildVenue } from '../state/venue';
import { buildLabels } from './labels';
import { centredOn, clampScale, toWorld } from './view';

describe('map labels', () => {
  it('names each section above its seats and letters each row one pitch past both ends', () => {
    const labels = buildLabels(buildVenue(smallEvent()), 10);
    expect(labels.sections).toEqual([
      {
        section: 0,
        text: 'Premium',
        x: 15,
        y: -9,
        bounds: { minX: 0, minY: 0, maxX: 30, maxY: 0 },
      },
      {
        section: 1,
        text: 'Standard',
        x: 15,
        y: 1,
        bounds: { minX: 0, minY: 10, maxX: 30, maxY: 20 },
      },
    ]);
    expect(labels.rows).toEqual([
      { row: 0, text: 'A', x: -10, y: 0 },
      { row: 0, text: 'A', x: 40, y: 0 },
      { row: 1, text: 'B', x: -10, y: 10 },
      { row: 1, text: 'B', x: 40, y: 10 },
      { row: 2, text: 'C', x: -10, y: 20 },
      { row: 2, text: 'C', x: 40, y: 20 },
    ]);
    expect(labels.rowTexts).toEqual(['A', 'B', 'C']);
    expect([...labels.rowOf]).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  });

  it('names each side of a section split by another, and follows a row that is not level', () => {
    const event = smallEvent();
    // Row A's seats 3 and 4 move far right and down a step each: two blocks, a sloping end.
    for (const seat of event.seats) {
      if (seat.id === 'A3') Object.assign(seat, { x: 100, y: 0 });
      if (seat.id === 'A4') Object.assign(seat, { x: 106, y: 8 });
    }
    const labels = buildLabels(buildVenue(event), 10);
    const premium = labels.sections.filter((s) => s.text === 'Premium');
    expect(premium.map((s) => s.bounds)).toEqual([
      { minX: 0, minY: 0, maxX: 10, maxY: 0 },
      { minX: 100, minY: 0, maxX: 106, maxY: 8 },
    ]);
    const rowA = labels.rows.filter((r) => r.text === 'A');
    expect(rowA[1]?.x).toBeCloseTo(106 + 6);
    expect(rowA[1]?.y).toBeCloseTo(8 + 8);
  });

  it('keeps one letter where two rows end across a narrow aisle', () => {
    const event = smallEvent();
    // Row A's seats 3 and 4 become another section, one aisle of 1.5 pitches to the right.
    event.sections.push({ id: 'side', name: 'Side', price: 5_000, kind: 'seated' });
    for (const seat of event.seats) {
      if (seat.row === 'A' && seat.number >= 3)
        Object.assign(seat, { sectionId: 'side', x: seat.x + 5 });
    }
    const rowA = buildLabels(buildVenue(event), 10).rows.filter((r) => r.text === 'A');
    // Seat A2 at x 10 and A3 at x 25: the letters at 20 and 15 would touch; the first is kept.
    expect(rowA.map((r) => r.x)).toEqual([-10, 20, 45]);
  });

  it('gives a row of one seat a letter on each side', () => {
    const event = smallEvent();
    event.seats = event.seats.filter((s) => s.row !== 'A' || s.number === 1);
    const rowA = buildLabels(buildVenue(event), 10).rows.filter((r) => r.text === 'A');
    expect(rowA).toEqual([
      { row: 0, text: 'A', x: -10, y: 0 },
      { row: 0, text: 'A', x: 10, y: 0 },
    ]);
  });
});

describe('section zoom views', () => {
  const size = { width: 400, height: 300 };
  it('centres a world point at a scale', () => {
    const view = centredOn(50, 20, 4, size);
    expect(toWorld(view, 200, 150)).toEqual({ x: 50, y: 20 });
  });

  it('clamps the scale into the limits, keeping the middle of the view', () => {
    const view = clampScale(centredOn(50, 20, 40, size), size, { min: 1, max: 8 });
    expect(view.scale).toBe(8);
    expect(toWorld(view, 200, 150)).toEqual({ x: 50, y: 20 });
    const inside = centredOn(1, 2, 3, size);
    expect(clampScale(inside, size, { min: 1, max: 8 })).toBe(inside);
  });
});
