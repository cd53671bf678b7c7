import { describe, expect, it } from 'vitest';
import { smallVenue } from '../testing/fixtures';
import {
  describeSeats,
  heldMessage,
  loneSeatMessage,
  noSeatsMessage,
  numberRuns,
  pricesOf,
  seatedSections,
} from './best';

const venue = smallVenue();
const seats = (...ids: string[]) => ids.map((id) => venue.indexById.get(id) ?? -1);

describe('best available in words', () => {
  it('offers the seated sections and their prices, cheapest first', () => {
    expect(seatedSections(venue).map((s) => s.id)).toEqual(['premium', 'standard']);
    expect(pricesOf(venue)).toEqual([10_000, 25_000]);
  });

  it('joins consecutive numbers into runs', () => {
    expect(numberRuns([12, 11])).toBe('11–12');
    expect(numberRuns([3])).toBe('3');
    expect(numberRuns([1, 2, 3, 7, 9])).toBe('1–3, 7 and 9');
  });

  it('names held seats by section, row and numbers', () => {
    expect(heldMessage(venue, seats('B3', 'B2'), true)).toBe(
      '2 seats held: Standard, row B, seats 2–3.',
    );
    expect(heldMessage(venue, seats('A4'), true)).toBe('1 seat held: Premium, row A, seat 4.');
    expect(describeSeats(venue, seats('C1', 'A1', 'C2'))).toBe(
      'Premium, row A, seat 1; Standard, row C, seats 1–2',
    );
    expect(heldMessage(venue, seats('A1', 'C4'), false)).toBe(
      '2 seats held (not side by side): Premium, row A, seat 1; Standard, row C, seat 4.',
    );
  });

  it('explains NO_SEATS_AVAILABLE with what to change', () => {
    expect(noSeatsMessage(venue, { quantity: 4 })).toBe(
      'No 4 seats side by side are left. Try fewer seats.',
    );
    expect(noSeatsMessage(venue, { quantity: 2, maxPrice: 10_000, sectionId: 'standard' })).toBe(
      'No 2 seats side by side are left in Standard at $100 or less. ' +
        'Try fewer seats, a higher price or another section.',
    );
    expect(noSeatsMessage(venue, { quantity: 1 })).toBe('No seat is left.');
  });

  it('explains the lone-seat refusal with the seat it would leave', () => {
    expect(loneSeatMessage(venue, ['B1'], ['B2'])).toBe(
      'That would leave row B, seat 1 alone; choose it too or another seat.',
    );
    expect(loneSeatMessage(venue, ['A1', 'A4'], ['B2'])).toBe(
      'That would leave Premium, row A, seat 1 and Premium, row A, seat 4 alone; ' +
        'choose them too or another seat.',
    );
    expect(loneSeatMessage(venue, ['nope'])).toContain('a seat alone');
  });
});
