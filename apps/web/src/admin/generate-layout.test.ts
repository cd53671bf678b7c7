import { Value } from '@sinclair/typebox/value';
import { isGaSection, MAX_GA_CAPACITY, seatedSections, VenueLayout } from '@ticketmain/protocol';
import { describe, expect, it } from 'vitest';
import { generateLayout, placeCount, seatCount } from './generate-layout';
import { FIRST_SECTIONS, generatorSpecs, newArea } from './generator-form';

describe('generated general admission areas', () => {
  const layout = generateLayout({
    venueName: 'Hall',
    stageLabel: 'Stage',
    sections: [{ name: 'Floor', price: 6_000, rows: 4, seatsPerRow: 10 }],
    areas: [
      { name: 'Floor', price: 4_500, capacity: 800 },
      { name: 'Pit', price: 9_000, capacity: 150 },
    ],
  });
  const areas = layout.sections.filter(isGaSection);
  const seated = seatedSections(layout);

  it('are GA sections of the layout schema, after the seated ones, with ids of their own', () => {
    expect(Value.Check(VenueLayout, layout)).toBe(true);
    expect(layout.sections.map((s) => s.id)).toEqual(['floor', 'floor-2', 'pit']);
    expect(areas.map(({ name, price, capacity }) => ({ name, price, capacity }))).toEqual([
      { name: 'Floor', price: 4_500, capacity: 800 },
      { name: 'Pit', price: 9_000, capacity: 150 },
    ]);
    expect(seatCount(layout)).toBe(40);
    expect(placeCount(layout)).toBe(950);
  });

  it('lie side by side between the stage and the seats, overlapping neither', () => {
    const [first, second] = areas.map((a) => a.area);
    if (!first || !second) throw new Error('two areas expected');
    expect(first.x + first.width).toBeLessThan(second.x);
    expect(first.y).toBeGreaterThan(layout.stage.y + layout.stage.height);
    const seatYs = seated.flatMap((s) => s.rows.flatMap((r) => r.seats.map((x) => x.y)));
    expect(Math.min(...seatYs)).toBeGreaterThan(first.y + first.height);
    // The seats are centred under a floor wider than them, and the stage over both.
    const seatXs = seated.flatMap((s) => s.rows.flatMap((r) => r.seats.map((x) => x.x)));
    const floorMid = (first.x + second.x + second.width) / 2;
    expect((Math.min(...seatXs) + Math.max(...seatXs)) / 2).toBeCloseTo(floorMid);
    expect(layout.stage.x + layout.stage.width / 2).toBeCloseTo(floorMid);
  });

  it('make a venue alone, with no seated section', () => {
    const alone = generateLayout({
      venueName: 'Club',
      stageLabel: 'Stage',
      sections: [],
      areas: [{ name: 'Floor', price: 2_000, capacity: 300 }],
    });
    expect(Value.Check(VenueLayout, alone)).toBe(true);
    expect([seatCount(alone), placeCount(alone)]).toEqual([0, 300]);
  });
});

describe("the generator's form", () => {
  it('turns prices into cents and numbers into whole numbers', () => {
    const area = { ...newArea(1), price: '45.5', capacity: '1204' };
    expect(generatorSpecs(FIRST_SECTIONS, [area])).toEqual({
      sections: [
        { name: 'Front', price: 12_000, rows: 6, seatsPerRow: 16 },
        { name: 'Back', price: 6_000, rows: 10, seatsPerRow: 20 },
      ],
      areas: [{ name: 'Standing floor', price: 4_550, capacity: 1_204 }],
    });
  });

  it('says the first thing wrong, by the name the organiser gave', () => {
    const floor = newArea(1);
    expect(generatorSpecs([], [{ ...floor, name: ' ' }])).toBe(
      'General admission area 1 needs a name.',
    );
    expect(generatorSpecs([], [{ ...floor, price: '-1' }])).toBe(
      'Standing floor: the price must be 0 or more.',
    );
    for (const capacity of ['0', '2.5', '', String(MAX_GA_CAPACITY + 1)]) {
      expect(generatorSpecs([], [{ ...floor, capacity }])).toBe(
        'Standing floor: the capacity must be a whole number from 1 to 100,000.',
      );
    }
    expect(generatorSpecs([{ ...FIRST_SECTIONS[0]!, rows: '0' }], [floor])).toBe(
      'Front: rows must be a whole number from 1 to 200.',
    );
    expect(generatorSpecs([], [])).toBe('Add at least one section or general admission area.');
  });
});
