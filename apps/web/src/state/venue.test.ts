import { describe, expect, it } from 'vitest';
import { smallEvent, smallVenue } from '../testing/fixtures';
import { seatAccessibleName, formatMoney } from './format';
import { Status } from './live';
import { buildVenue, categoryLabel } from './venue';

describe('venue model', () => {
  it('indexes seats by id with flat coordinate arrays', () => {
    const venue = smallVenue();
    expect(venue.count).toBe(12);
    const c2 = venue.indexById.get('C2') ?? -1;
    expect([venue.xs[c2], venue.ys[c2], venue.rows[c2], venue.numbers[c2]]).toEqual([
      10,
      20,
      'C',
      2,
    ]);
    expect(venue.bounds).toEqual({ minX: 0, minY: -30, maxX: 30, maxY: 20 });
  });

  it('groups sections by price into categories, most expensive first', () => {
    const event = smallEvent();
    event.sections.push({ id: 'box', name: 'Premium Box', price: 25_000, kind: 'seated' });
    const venue = buildVenue(event);
    expect(venue.categories.map((c) => [c.label, c.price])).toEqual([
      ['Premium', 25_000],
      ['Standard', 10_000],
    ]);
  });

  it('labels a category by the words its sections share', () => {
    expect(categoryLabel(['VIP Centre', 'VIP Wings'])).toBe('VIP');
    expect(categoryLabel(['Lower 1', 'Lower 2', 'Lower 3'])).toBe('Lower');
    expect(categoryLabel(['Balcony', 'Gallery'])).toBe('Balcony, Gallery');
    expect(categoryLabel(['A', 'B', 'C', 'D'])).toBe('A and 3 more');
  });

  it('names a seat for screen readers', () => {
    const venue = smallVenue();
    const a3 = venue.indexById.get('A3') ?? -1;
    expect(seatAccessibleName(venue, a3, Status.Available)).toBe(
      'Row A, seat 3, Premium, $250, available',
    );
    expect(seatAccessibleName(venue, a3, Status.Held)).toBe(
      'Row A, seat 3, Premium, $250, held by another buyer',
    );
    expect(formatMoney(12_550, 'USD')).toBe('$125.50');
  });
});
