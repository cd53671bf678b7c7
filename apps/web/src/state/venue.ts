// The venue of one event as flat, index-addressed arrays: the seat map's hot paths (drawing,
// hit-testing, live updates) work on seat numbers 0..count-1, never on per-seat objects.
import type { EventDetail, Stage } from '@ticketmain/protocol';

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface SectionInfo {
  id: string;
  name: string;
  price: number;
  /** Index into Venue.categories. */
  category: number;
}

/** A general-admission section: places sold by quantity, drawn as a rectangle. */
export interface GaAreaInfo {
  id: string;
  name: string;
  price: number;
  capacity: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Sections that share a price share a colour on the map and a line in the legend. */
export interface PriceCategory {
  price: number;
  label: string;
  sectionNames: string[];
}

/** Anything that turns seat ids into seat numbers (the reducer needs no more of a venue). */
export interface SeatLookup {
  readonly count: number;
  readonly indexById: ReadonlyMap<string, number>;
  /** The general-admission sections' ids: a place id `<sectionId>.<n>` names its section. */
  readonly areaIds?: ReadonlySet<string>;
}

export interface Venue extends SeatLookup {
  eventId: string;
  name: string;
  venueName: string;
  startsAt: string;
  currency: string;
  ids: readonly string[];
  xs: Float64Array;
  ys: Float64Array;
  rows: readonly string[];
  numbers: Int32Array;
  /** Section index of each seat. */
  sectionOf: Uint32Array;
  sections: readonly SectionInfo[];
  /** Most expensive first. */
  categories: readonly PriceCategory[];
  stage: Stage;
  /** General-admission areas, in the order of the layout. */
  areas: readonly GaAreaInfo[];
  /** Seats, areas and stage together. */
  bounds: Bounds;
}

export function buildVenue(event: EventDetail): Venue {
  const count = event.seats.length;
  const categories = priceCategories(event.sections);
  const categoryByPrice = new Map(categories.map((c, i) => [c.price, i]));
  const sections = event.sections.map((s) => ({
    id: s.id,
    name: s.name,
    price: s.price,
    category: categoryByPrice.get(s.price) ?? 0,
  }));
  const sectionIndex = new Map(sections.map((s, i) => [s.id, i]));
  const ids: string[] = new Array<string>(count);
  const rows: string[] = new Array<string>(count);
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  const numbers = new Int32Array(count);
  const sectionOf = new Uint32Array(count);
  const indexById = new Map<string, number>();
  const { stage } = event;
  const bounds: Bounds = {
    minX: stage.x,
    minY: stage.y,
    maxX: stage.x + stage.width,
    maxY: stage.y + stage.height,
  };
  const areas: GaAreaInfo[] = [];
  for (const s of event.sections) {
    if (s.kind !== 'ga' || s.area === undefined || s.capacity === undefined) continue;
    const { x, y, width, height } = s.area;
    areas.push({
      id: s.id,
      name: s.name,
      price: s.price,
      capacity: s.capacity,
      x,
      y,
      width,
      height,
    });
    bounds.minX = Math.min(bounds.minX, x);
    bounds.minY = Math.min(bounds.minY, y);
    bounds.maxX = Math.max(bounds.maxX, x + width);
    bounds.maxY = Math.max(bounds.maxY, y + height);
  }
  event.seats.forEach((seat, i) => {
    ids[i] = seat.id;
    rows[i] = seat.row;
    xs[i] = seat.x;
    ys[i] = seat.y;
    numbers[i] = seat.number;
    sectionOf[i] = sectionIndex.get(seat.sectionId) ?? 0;
    indexById.set(seat.id, i);
    bounds.minX = Math.min(bounds.minX, seat.x);
    bounds.minY = Math.min(bounds.minY, seat.y);
    bounds.maxX = Math.max(bounds.maxX, seat.x);
    bounds.maxY = Math.max(bounds.maxY, seat.y);
  });
  return {
    eventId: event.id,
    name: event.name,
    venueName: event.venueName,
    startsAt: event.startsAt,
    currency: event.currency,
    count,
    ids,
    indexById,
    xs,
    ys,
    rows,
    numbers,
    sectionOf,
    sections,
    categories,
    stage,
    areas,
    areaIds: new Set(areas.map((a) => a.id)),
    bounds,
  };
}

function priceCategories(sections: EventDetail['sections']): PriceCategory[] {
  const byPrice = new Map<number, string[]>();
  for (const s of sections) byPrice.set(s.price, [...(byPrice.get(s.price) ?? []), s.name]);
  return [...byPrice.entries()]
    .sort(([a], [b]) => b - a)
    .map(([price, names]) => ({ price, sectionNames: names, label: categoryLabel(names) }));
}

/** "VIP Centre" + "VIP Wings" → "VIP"; "Lower 1" … "Lower 14" → "Lower"; otherwise the names. */
export function categoryLabel(names: readonly string[]): string {
  const [first, ...rest] = names;
  if (first === undefined) return '';
  if (rest.length === 0) return first;
  const words = first.split(' ');
  let shared = words.length;
  for (const name of rest) {
    const other = name.split(' ');
    let same = 0;
    while (same < shared && other[same] === words[same]) same++;
    shared = same;
  }
  if (shared > 0) return words.slice(0, shared).join(' ');
  return names.length <= 3 ? names.join(', ') : `${first} and ${names.length - 1} more`;
}

export function sectionOfSeat(venue: Venue, seat: number): SectionInfo | undefined {
  return venue.sections[venue.sectionOf[seat] ?? -1];
}
