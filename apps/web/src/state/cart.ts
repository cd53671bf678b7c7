// The buyer's cart: held seats with their section and price, the total, and the countdown to the
// earliest hold expiry. Pure: time comes in as an argument.
import { formatMoney, joinWords, seatLabel } from './format';
import type { LiveState } from './live';
import type { Venue } from './venue';
import { sectionOfSeat } from './venue';

export interface CartItem {
  seat: number;
  seatId: string;
  label: string;
  sectionName: string;
  price: number;
  /** Epoch ms (server clock); null while the hold request is in flight. */
  expiresAt: number | null;
}

/** Confirmed holds and optimistic ones, in venue order. */
export function cartItems(
  venue: Venue,
  mine: LiveState['mine'],
  pending: LiveState['pending'],
): CartItem[] {
  const seats = new Set(mine.keys());
  for (const [seat, op] of pending) {
    if (op === 'hold') seats.add(seat);
    else seats.delete(seat);
  }
  return [...seats]
    .sort((a, b) => a - b)
    .map((seat) => {
      const section = sectionOfSeat(venue, seat);
      return {
        seat,
        seatId: venue.ids[seat] ?? '',
        label: seatLabel(venue, seat),
        sectionName: section?.name ?? '',
        price: section?.price ?? 0,
        expiresAt: mine.get(seat) ?? null,
      };
    });
}

export function cartTotal(items: readonly CartItem[]): number {
  return items.reduce((sum, item) => sum + item.price, 0);
}

/** When the first hold of the cart lapses; null for an empty cart. */
export function earliestExpiry(mine: LiveState['mine']): number | null {
  let earliest: number | null = null;
  for (const expiresAt of mine.values()) {
    if (earliest === null || expiresAt < earliest) earliest = expiresAt;
  }
  return earliest;
}

/** Seats whose hold has run out at `now`, except those being bought right now. */
export function expiredSeats(
  mine: LiveState['mine'],
  checkingOut: LiveState['checkingOut'],
  now: number,
): number[] {
  const out: number[] = [];
  for (const [seat, expiresAt] of mine) {
    if (expiresAt <= now && !checkingOut.has(seat)) out.push(seat);
  }
  return out.sort((a, b) => a - b);
}

/** What the buyer is told when seats leave the cart because their hold ran out. */
export function expiryMessage(venue: Venue, seats: readonly number[]): string | null {
  if (seats.length === 0) return null;
  const labels = seats.map((seat) => seatLabel(venue, seat));
  return seats.length === 1
    ? `Your hold on ${labels[0]} expired; the seat was released.`
    : `Your holds on ${joinWords(labels)} expired; the seats were released.`;
}

/** How late (ms) a server-side release may come and still count as the hold's expiry. */
const EXPIRY_GRACE_MS = 2000;

/**
 * Seats that left `mine` between two states because of the server (its expiry sweep, a reset, a
 * restart that lost the holds), and what to tell the buyer about them.
 */
export function endedHolds(
  venue: Venue,
  before: LiveState['mine'],
  after: LiveState['mine'],
  now: number,
): { seats: number[]; message: string | null } {
  if (before === after) return { seats: [], message: null };
  const seats = [...before.keys()].filter((seat) => !after.has(seat)).sort((a, b) => a - b);
  const expired = seats.filter((seat) => (before.get(seat) ?? 0) <= now + EXPIRY_GRACE_MS);
  const lost = seats.filter((seat) => !expired.includes(seat));
  const lostLabels = lost.map((seat) => seatLabel(venue, seat));
  const lostMessage =
    lost.length === 0
      ? null
      : `Your hold on ${joinWords(lostLabels)} ended; ${lost.length === 1 ? 'it is' : 'they are'} no longer held for you.`;
  const message = [expiryMessage(venue, expired), lostMessage].filter(Boolean).join(' ');
  return { seats, message: message === '' ? null : message };
}

/** "4:59", "0:07"; never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

export function formatTotal(venue: Venue, items: readonly CartItem[]): string {
  return formatMoney(cartTotal(items), venue.currency);
}
