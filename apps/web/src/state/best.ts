// Best available in words: what the buyer picks from (quantities, prices, sections), what a pick
// held, and why the server refused one, for the screen and for screen readers.
import { formatMoney, joinWords } from './format';
import type { SectionInfo, Venue } from './venue';

/** The sections with seats (best available picks seats; a standing area has none), in order. */
export function seatedSections(venue: Venue): SectionInfo[] {
  const seated = new Set(venue.sectionOf);
  return venue.sections.filter((_, i) => seated.has(i));
}

/** The prices "Best available" can be limited to: every seated section's, cheapest first. */
export function pricesOf(venue: Venue): number[] {
  return [...new Set(seatedSections(venue).map((s) => s.price))].sort((a, b) => a - b);
}

/** "11–12", "11, 12 and 14": a row's seat numbers, runs of consecutive numbers joined by a dash. */
export function numberRuns(numbers: readonly number[]): string {
  const sorted = [...numbers].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const from = sorted[i]!;
    const to = sorted[j]!;
    runs.push(to === from ? String(from) : `${from}–${to}`);
    i = j + 1;
  }
  return joinWords(runs);
}

/** "Section A, row C, seats 11–12": the seats grouped by section and row, in venue order. */
export function describeSeats(venue: Venue, seats: readonly number[]): string {
  const groups = new Map<string, { section: number; row: string; numbers: number[] }>();
  for (const seat of [...seats].sort((a, b) => a - b)) {
    const section = venue.sectionOf[seat] ?? 0;
    const row = venue.rows[seat] ?? '?';
    const key = `${section}\u0000${row}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { section, row, numbers: [] };
      groups.set(key, group);
    }
    group.numbers.push(venue.numbers[seat] ?? 0);
  }
  return [...groups.values()]
    .map(({ section, row, numbers }) => {
      const name = venue.sections[section]?.name ?? 'Unknown section';
      const word = numbers.length === 1 ? 'seat' : 'seats';
      return `${sectionWords(name)}, row ${row}, ${word} ${numberRuns(numbers)}`;
    })
    .join('; ');
}

/** "A" reads as "Section A"; a name that says what it is ("Lower 12", "Floor") stays as it is. */
function sectionWords(name: string): string {
  return /^[A-Z0-9]{1,3}$/i.test(name) ? `Section ${name}` : name;
}

/** "2 seats held: Section A, row C, seats 11–12." */
export function heldMessage(venue: Venue, seats: readonly number[], adjacent: boolean): string {
  const count = `${seats.length} ${seats.length === 1 ? 'seat' : 'seats'}`;
  const apart = !adjacent && seats.length > 1 ? ' (not side by side)' : '';
  return `${count} held${apart}: ${describeSeats(venue, seats)}.`;
}

export interface BestChoice {
  quantity: number;
  maxPrice?: number;
  sectionId?: string;
}

/** Why NO_SEATS_AVAILABLE, with what the buyer can change. */
export function noSeatsMessage(venue: Venue, choice: BestChoice): string {
  const { quantity } = choice;
  const what = quantity === 1 ? 'No seat is' : `No ${quantity} seats side by side are`;
  const where: string[] = [];
  if (choice.sectionId !== undefined) {
    const section = venue.sections.find((s) => s.id === choice.sectionId);
    where.push(`in ${sectionWords(section?.name ?? choice.sectionId)}`);
  }
  if (choice.maxPrice !== undefined) {
    where.push(`at ${formatMoney(choice.maxPrice, venue.currency)} or less`);
  }
  const tries = [
    ...(quantity > 1 ? ['fewer seats'] : []),
    ...(choice.maxPrice !== undefined ? ['a higher price'] : []),
    ...(choice.sectionId !== undefined ? ['another section'] : []),
  ];
  const advice =
    tries.length > 0 ? ` Try ${joinWords(tries).replace(/ and ([^,]+)$/, ' or $1')}.` : '';
  const place = where.length > 0 ? ` ${where.join(' ')}` : '';
  return `${what} left${place}.${advice}`;
}

/**
 * The lone-seat refusal (409 SINGLE_SEAT) in words: "That would leave seat 3 alone; choose it
 * too or another seat." Seats are named by row and number; the section only when it is not
 * the section of the seats asked for.
 */
export function loneSeatMessage(
  venue: Venue,
  lone: readonly string[],
  asked: readonly string[] = [],
): string {
  const seats = lone.flatMap((id) => {
    const seat = venue.indexById.get(id);
    return seat === undefined ? [] : [seat];
  });
  if (seats.length === 0) {
    return 'That would leave a seat alone in its row; choose it too or another seat.';
  }
  const askedSections = new Set(
    asked.flatMap((id) => {
      const seat = venue.indexById.get(id);
      return seat === undefined ? [] : [venue.sectionOf[seat]];
    }),
  );
  const names = seats.map((seat) => {
    const section = venue.sections[venue.sectionOf[seat] ?? 0]?.name ?? '';
    const inSection = askedSections.has(venue.sectionOf[seat]) ? '' : `${sectionWords(section)}, `;
    return `${inSection}row ${venue.rows[seat] ?? '?'}, seat ${venue.numbers[seat] ?? '?'}`;
  });
  const it = seats.length === 1 ? 'it' : 'them';
  return `That would leave ${joinWords(names)} alone; choose ${it} too or another seat.`;
}
