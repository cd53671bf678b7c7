import { describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { ID_PATTERN, MAX_VENUE_SEATS, seatedSections, VenueLayout } from '@ticketmain/protocol';
import { indexLayout, validateLayout } from './layout.js';
import { stadium } from './stadium.js';

describe('stadium', () => {
  it('has 100,000 seats by default, 40 sections, unique ids, and is valid', () => {
    const started = performance.now();
    const layout = stadium();
    const elapsed = performance.now() - started;
    const index = indexLayout(layout);
    expect(index.seatCount).toBe(100_000);
    expect(index.seatById.size).toBe(100_000);
    expect(layout.sections).toHaveLength(40);
    expect(validateLayout(layout)).toEqual([]);
    expect(Value.Check(VenueLayout, layout)).toBe(true);
    expect(index.seatById.has('S12-R07-33')).toBe(true);
    expect(elapsed).toBeLessThan(1_000);
  });

  it.each([1, 7, 40, 41, 1_000, 2_501, 12_345])('has exactly %i seats when asked', (seats) => {
    const layout = stadium({ seats });
    const index = indexLayout(layout);
    expect(index.seatCount).toBe(seats);
    expect(index.seatById.size).toBe(seats);
    expect(validateLayout(layout)).toEqual([]);
    expect(Value.Check(VenueLayout, layout)).toBe(true);
  });

  it('uses ids of the contract charset', () => {
    const pattern = new RegExp(ID_PATTERN);
    expect(indexLayout(stadium({ seats: 1_000 })).seats.every((s) => pattern.test(s.id))).toBe(
      true,
    );
  });

  it('prices by ring: the nearer the pitch, the dearer', () => {
    const layout = stadium({ seats: 1_000 });
    const prices = layout.sections.map((section) => section.price);
    expect(new Set(prices)).toEqual(new Set([15_000, 9_000, 4_500]));
    expect([...prices].sort((a, b) => b - a)).toEqual(prices);
    const distance = (price: number) => {
      const seat = seatedSections(layout).find((s) => s.price === price)!.rows[0]!.seats[0]!;
      return Math.hypot(seat.x, seat.y);
    };
    expect(distance(15_000)).toBeLessThan(distance(9_000));
    expect(distance(9_000)).toBeLessThan(distance(4_500));
  });

  it('keeps every seat outside the pitch', () => {
    const layout = stadium({ seats: 5_000 });
    const { stage } = layout;
    const seats = seatedSections(layout).flatMap((s) => s.rows.flatMap((r) => r.seats));
    const onPitch = seats.filter(
      (s) =>
        s.x >= stage.x &&
        s.x <= stage.x + stage.width &&
        s.y >= stage.y &&
        s.y <= stage.y + stage.height,
    );
    expect(onPitch).toEqual([]);
  });

  it('is deterministic', () => {
    expect(stadium({ seats: 2_000 })).toEqual(stadium({ seats: 2_000 }));
  });

  it('refuses impossible counts', () => {
    for (const seats of [0, -1, 1.5, MAX_VENUE_SEATS + 1]) {
      expect(() => stadium({ seats })).toThrow(RangeError);
    }
  });
});
