import { Value } from '@sinclair/typebox/value';
import { seatedSections, VenueLayout } from '@ticketmain/protocol';
import { describe, expect, it } from 'vitest';
import { generateLayout, rowLetter, seatCount } from './generate-layout';
import { lineOfPointer, parseLayoutText } from './layout-text';

const spec = {
  venueName: 'Hall',
  stageLabel: 'Stage',
  sections: [
    { name: 'VIP Centre', price: 50_000, rows: 3, seatsPerRow: 4 },
    { name: 'VIP Centre', price: 20_000, rows: 28, seatsPerRow: 2 },
  ],
};

describe('generated layouts', () => {
  it('are valid layouts with unique ids, rows lettered A, B, … AA, and every seat numbered', () => {
    const layout = generateLayout(spec);
    expect(Value.Check(VenueLayout, layout)).toBe(true);
    expect(seatCount(layout)).toBe(3 * 4 + 28 * 2);
    expect(layout.sections.map((s) => s.id)).toEqual(['vip-centre', 'vip-centre-2']);
    const seated = seatedSections(layout);
    const ids = seated.flatMap((s) => s.rows.flatMap((r) => r.seats.map((x) => x.id)));
    expect(new Set(ids).size).toBe(ids.length);
    expect(seated[1]?.rows.map((r) => r.label).slice(25, 28)).toEqual(['Z', 'AA', 'AB']);
    expect(seated[0]?.rows[0]?.seats.map((s) => s.number)).toEqual([1, 2, 3, 4]);
    // Side by side: the second section starts right of the first one's last seat.
    const lastOfFirst = Math.max(...(seated[0]?.rows[0]?.seats.map((s) => s.x) ?? []));
    expect(seated[1]?.rows[0]?.seats[0]?.x).toBeGreaterThan(lastOfFirst);
  });

  it('letters rows like venues do', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(rowLetter)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});

describe('layout text', () => {
  const text = JSON.stringify(generateLayout(spec), null, 2);

  it('accepts a valid layout', () => {
    const parsed = parseLayoutText(text);
    expect(parsed.ok).toBe(true);
  });

  it('finds the line of a value by its pointer', () => {
    const lines = text.split('\n');
    const line = lineOfPointer(text, '/sections/1/rows/2/seats/1/x');
    expect(lines[line - 1]).toMatch(/"x":/);
    // The seat before it (same row) is a few lines up.
    expect(lineOfPointer(text, '/sections/1/rows/2/seats/0/x')).toBeLessThan(line);
    expect(lines[lineOfPointer(text, '/stage/label') - 1]).toContain('"label": "Stage"');
  });

  it('names the line of each schema problem', () => {
    const broken = text.replace('"price": 20000', '"price": -5');
    const parsed = parseLayoutText(broken);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const lines = broken.split('\n');
    expect(parsed.problems[0]?.message).toContain('/sections/1/price');
    expect(lines[(parsed.problems[0]?.line ?? 0) - 1]).toContain('"price": -5');
  });

  it('names the line of a JSON syntax error', () => {
    const lines = text.split('\n');
    lines[7] = `${lines[7]},,`;
    const parsed = parseLayoutText(lines.join('\n'));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems[0]?.line).toBe(8);
  });
});
