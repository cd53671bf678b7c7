// Venue-layout rules beyond the JSON schema, and the per-event seat index the routes look seats up in.
// Pure: the server builds the index once per event and caches it.
import {
  MAX_VENUE_SEATS,
  type Seat,
  type Section,
  type Stage,
  type VenueLayout,
} from '@ticketmain/protocol';

/** A seat with everything the hold and order routes need to know about it. */
export interface SeatInfo {
  id: string;
  sectionId: string;
  row: string;
  number: number;
  x: number;
  y: number;
  /** Cents: the price of the seat's section. */
  price: number;
  /** The seats numbered one below and one above in the same row (none: the row ends there). */
  left?: string;
  right?: string;
}

export interface VenueIndex {
  seatCount: number;
  stage: Stage;
  sections: Section[];
  /** The API's flattened seats, in layout order (sections, then rows, then seats). */
  seats: Seat[];
  seatById: Map<string, SeatInfo>;
  /** The point "best" seats are near: the layout's focus, else the stage's centre. */
  focus: Point;
}

export interface Point {
  x: number;
  y: number;
}

/** How many offending names one problem message lists, so a hostile layout cannot bloat the reply. */
const MAX_NAMES_LISTED = 10;

/** Problems the schema cannot see; an empty list means the layout is usable. */
export function validateLayout(layout: VenueLayout): string[] {
  const problems: string[] = [];
  const seatCount = countSeats(layout);
  if (seatCount === 0) problems.push('The venue has no seats.');
  if (seatCount > MAX_VENUE_SEATS) {
    problems.push(`The venue has ${seatCount} seats; at most ${MAX_VENUE_SEATS} are allowed.`);
  }
  const sectionIds = duplicates(layout.sections.map((section) => section.id));
  if (sectionIds.length > 0) problems.push(`Duplicate section ids: ${listNames(sectionIds)}.`);
  for (const section of layout.sections) {
    const labels = duplicates(section.rows.map((row) => row.label));
    if (labels.length > 0) {
      problems.push(`Duplicate row labels in section "${section.id}": ${listNames(labels)}.`);
    }
    // Row neighbours (the lone-seat rule, best available) are found by number.
    for (const row of section.rows) {
      const numbers = duplicates(row.seats.map((seat) => String(seat.number)));
      if (numbers.length > 0) {
        const where = `row "${row.label}" of section "${section.id}"`;
        problems.push(`Duplicate seat numbers in ${where}: ${listNames(numbers)}.`);
      }
    }
  }
  // An oversized venue is refused anyway; scanning all its ids would only cost time.
  if (seatCount <= MAX_VENUE_SEATS) {
    const seatIds = duplicates(allSeatIds(layout));
    if (seatIds.length > 0) problems.push(`Duplicate seat ids: ${listNames(seatIds)}.`);
  }
  return problems;
}

/** Flattens a layout that passed the schema and validateLayout. */
export function indexLayout(layout: VenueLayout): VenueIndex {
  const seats: Seat[] = [];
  const seatById = new Map<string, SeatInfo>();
  for (const section of layout.sections) {
    for (const row of section.rows) {
      const byNumber = new Map(row.seats.map((seat) => [seat.number, seat.id]));
      for (const { id, number, x, y } of row.seats) {
        const sectionId = section.id;
        seats.push({ id, sectionId, row: row.label, number, x, y });
        const info: SeatInfo = {
          id,
          sectionId,
          row: row.label,
          number,
          x,
          y,
          price: section.price,
        };
        const left = byNumber.get(number - 1);
        const right = byNumber.get(number + 1);
        if (left !== undefined) info.left = left;
        if (right !== undefined) info.right = right;
        seatById.set(id, info);
      }
    }
  }
  const sections = layout.sections.map(({ id, name, price }) => ({
    id,
    name,
    price,
    kind: 'seated' as const,
  }));
  const { stage } = layout;
  const focus = layout.focus ?? { x: stage.x + stage.width / 2, y: stage.y + stage.height / 2 };
  return { seatCount: seats.length, stage, sections, seats, seatById, focus };
}

export function countSeats(layout: VenueLayout): number {
  let count = 0;
  for (const section of layout.sections) {
    for (const row of section.rows) count += row.seats.length;
  }
  return count;
}

function allSeatIds(layout: VenueLayout): string[] {
  return layout.sections.flatMap((section) =>
    section.rows.flatMap((row) => row.seats.map((seat) => seat.id)),
  );
}

/** The values that occur more than once, each listed once, in order of first repeat. */
function duplicates(values: Iterable<string>): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) repeated.add(value);
    else seen.add(value);
  }
  return [...repeated];
}

function listNames(names: string[]): string {
  const shown = names
    .slice(0, MAX_NAMES_LISTED)
    .map((name) => `"${name}"`)
    .join(', ');
  const more = names.length - MAX_NAMES_LISTED;
  return more > 0 ? `${shown} and ${more} more` : shown;
}
