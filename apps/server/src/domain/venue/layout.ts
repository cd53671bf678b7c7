// Venue-layout rules beyond the JSON schema, and the per-event seat index the routes look seats up in.
// Pure: the server builds the index once per event and caches it.
import {
  GA_PLACE_SEPARATOR,
  isGaSection,
  MAX_VENUE_SEATS,
  seatedSections,
  type Area,
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

/** A general-admission section: its places are `<id>.<n>`, n from 1 to `capacity`. */
export interface GaSectionInfo {
  id: string;
  capacity: number;
  /** Cents. */
  price: number;
  area: Area;
}

export interface VenueIndex {
  /** Seats plus GA places: what can be sold. */
  seatCount: number;
  stage: Stage;
  sections: Section[];
  /** The API's flattened seats, in layout order (sections, then rows, then seats). */
  seats: Seat[];
  /** Seats only: GA places are found by lookupSeat. */
  seatById: Map<string, SeatInfo>;
  /** The GA sections by id, in layout order. */
  ga: Map<string, GaSectionInfo>;
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
  // GA capacities count as seats here: they are sold alike.
  if (seatCount > MAX_VENUE_SEATS) {
    problems.push(`The venue has ${seatCount} seats; at most ${MAX_VENUE_SEATS} are allowed.`);
  }
  const sectionIds = duplicates(layout.sections.map((section) => section.id));
  if (sectionIds.length > 0) problems.push(`Duplicate section ids: ${listNames(sectionIds)}.`);
  const gaIds = new Set(layout.sections.filter(isGaSection).map((section) => section.id));
  for (const section of seatedSections(layout)) {
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
    // A GA place id is a seat id the store mints: no seat may look like one.
    const clashing = allSeatIds(layout).filter((id) => gaPlace(id, gaIds) !== undefined);
    if (clashing.length > 0) {
      problems.push(`Seat ids look like general-admission place ids: ${listNames(clashing)}.`);
    }
  }
  return problems;
}

/** Flattens a layout that passed the schema and validateLayout. */
export function indexLayout(layout: VenueLayout): VenueIndex {
  const seats: Seat[] = [];
  const seatById = new Map<string, SeatInfo>();
  const ga = new Map<string, GaSectionInfo>();
  let places = 0;
  for (const section of layout.sections) {
    if (isGaSection(section)) {
      const { id, capacity, price, area } = section;
      ga.set(id, { id, capacity, price, area });
      places += capacity;
      continue;
    }
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
  const sections: Section[] = layout.sections.map((section) =>
    isGaSection(section)
      ? {
          id: section.id,
          name: section.name,
          price: section.price,
          kind: 'ga' as const,
          capacity: section.capacity,
          area: section.area,
        }
      : { id: section.id, name: section.name, price: section.price, kind: 'seated' as const },
  );
  const { stage } = layout;
  const focus = layout.focus ?? { x: stage.x + stage.width / 2, y: stage.y + stage.height / 2 };
  return { seatCount: seats.length + places, stage, sections, seats, seatById, ga, focus };
}

/** The GA section and place number of a place id, or undefined when it is none of `gaIds`. */
function gaPlace(
  id: string,
  gaIds: { has(id: string): boolean },
): { sectionId: string; n: number } | undefined {
  const cut = id.lastIndexOf(GA_PLACE_SEPARATOR);
  if (cut <= 0) return undefined;
  const sectionId = id.slice(0, cut);
  const digits = id.slice(cut + 1);
  if (!gaIds.has(sectionId) || !/^[1-9][0-9]{0,5}$/.test(digits)) return undefined;
  return { sectionId, n: Number(digits) };
}

/** The GA section a place id belongs to (whatever its number), or undefined. */
export function placeSection(index: VenueIndex, id: string): GaSectionInfo | undefined {
  const place = gaPlace(id, index.ga);
  return place === undefined ? undefined : index.ga.get(place.sectionId);
}

/**
 * A seat or a GA place of the venue: a place (`<sectionId>.<n>`, n within the capacity) is a
 * seat without a position, drawn at its area's centre, in no row.
 */
export function lookupSeat(index: VenueIndex, id: string): SeatInfo | undefined {
  const seat = index.seatById.get(id);
  if (seat !== undefined || index.ga.size === 0) return seat;
  const place = gaPlace(id, index.ga);
  const section = place === undefined ? undefined : index.ga.get(place.sectionId);
  if (place === undefined || section === undefined || place.n > section.capacity) return undefined;
  const { area } = section;
  return {
    id,
    sectionId: section.id,
    row: '',
    number: place.n,
    x: area.x + area.width / 2,
    y: area.y + area.height / 2,
    price: section.price,
  };
}

/** The GA sections' capacities and the section of a place id (realtime/messages.ts GaShape). */
export function gaShapeOf(index: VenueIndex): {
  capacities: Map<string, number>;
  sectionOf(seatId: string): string | undefined;
} {
  const capacities = new Map([...index.ga.values()].map((s) => [s.id, s.capacity]));
  return {
    capacities,
    sectionOf: (seatId) => (capacities.size === 0 ? undefined : placeSection(index, seatId)?.id),
  };
}

/** Seats plus GA places. */
export function countSeats(layout: VenueLayout): number {
  let count = 0;
  for (const section of layout.sections) {
    if (isGaSection(section)) count += section.capacity;
    else for (const row of section.rows) count += row.seats.length;
  }
  return count;
}

function allSeatIds(layout: VenueLayout): string[] {
  return seatedSections(layout).flatMap((section) =>
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
