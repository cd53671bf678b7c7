// Human wording shared by the map, the cart and the screen-reader announcements.
import type { Venue } from './venue';
import { sectionOfSeat } from './venue';
import type { DisplayStatus } from './live';
import { Status } from './live';

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Whole amounts without cents ("$250"), others with them ("$12.50"). */
export function formatMoney(cents: number, currency: string): string {
  const whole = cents % 100 === 0;
  const key = `${currency}:${whole}`;
  let format = moneyFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      minimumFractionDigits: whole ? 0 : 2,
      maximumFractionDigits: whole ? 0 : 2,
    });
    moneyFormats.set(key, format);
  }
  return format.format(cents / 100);
}

export function formatEventDate(iso: string): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** The attribute value the e2e tests read; also the CSS hook of the legend. */
export const STATUS_ATTRIBUTE: Record<DisplayStatus, string> = {
  [Status.Available]: 'available',
  [Status.HeldByMe]: 'held-by-me',
  [Status.Held]: 'held',
  [Status.Sold]: 'sold',
  [Status.SoldToMe]: 'sold-to-me',
};

export const STATUS_WORDS: Record<DisplayStatus, string> = {
  [Status.Available]: 'available',
  [Status.HeldByMe]: 'held by you',
  [Status.Held]: 'held by another buyer',
  [Status.Sold]: 'sold',
  [Status.SoldToMe]: 'bought by you',
};

/** "Row C, seat 12". */
export function seatLabel(venue: Venue, seat: number): string {
  return `Row ${venue.rows[seat] ?? '?'}, seat ${venue.numbers[seat] ?? '?'}`;
}

export function seatPrice(venue: Venue, seat: number): string {
  return formatMoney(sectionOfSeat(venue, seat)?.price ?? 0, venue.currency);
}

/** "Row C, seat 12, Premium, $250, available": what a screen reader says for a seat. */
export function seatAccessibleName(venue: Venue, seat: number, status: DisplayStatus): string {
  const section = sectionOfSeat(venue, seat)?.name ?? 'Unknown section';
  return `${seatLabel(venue, seat)}, ${section}, ${seatPrice(venue, seat)}, ${STATUS_WORDS[status]}`;
}

/** "Row C, seat 12 and Row C, seat 13"; "A, B and C". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
