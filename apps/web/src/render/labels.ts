// Where the map's words go, derived once per venue: each section's name above its seats, each
// row's letter one seat pitch beyond both ends of the row, and each section's bounds (what a tap
// on a section zooms to). Pure functions of the venue, in world units.
import type { Bounds, Venue } from '../state/venue';

export interface SectionLabel {
  section: number;
  text: string;
  /** Centre of the text's baseline, above the section's seats. */
  x: number;
  y: number;
  /** The section's seats, without radius. */
  bounds: Bounds;
}

export interface RowLabel {
  /** Index into Labels.rowTexts. */
  row: number;
  text: string;
  x: number;
  y: number;
}

export interface Labels {
  sections: SectionLabel[];
  /** Two per row: one pitch past its first and its last seat. */
  rows: RowLabel[];
  /** The row (of a section) of each seat, by seat: an index into rowTexts. */
  rowOf: Int32Array;
  rowTexts: string[];
}

export function buildLabels(venue: Venue, spacing: number): Labels {
  const seatsOf: number[][] = venue.sections.map(() => []);
  /** Seats of each row of each section, keyed "section/row". */
  const rows = new Map<string, number[]>();
  for (let i = 0; i < venue.count; i++) {
    const section = venue.sectionOf[i] ?? 0;
    seatsOf[section]?.push(i);
    const key = `${section}/${venue.rows[i] ?? ''}`;
    const seats = rows.get(key);
    if (seats === undefined) rows.set(key, [i]);
    else seats.push(i);
  }
  const sections: SectionLabel[] = [];
  seatsOf.forEach((seats, section) => {
    for (const block of blocks(venue, seats, spacing)) {
      sections.push({
        section,
        text: venue.sections[section]?.name ?? '',
        x: (block.minX + block.maxX) / 2,
        y: block.minY - spacing * 0.9,
        bounds: block,
      });
    }
  });
  const rowLabels: RowLabel[] = [];
  const rowOf = new Int32Array(venue.count);
  const rowTexts: string[] = [];
  for (const seats of rows.values()) {
    seats.sort((a, b) => (venue.numbers[a] ?? 0) - (venue.numbers[b] ?? 0));
    const first = seats[0];
    const last = seats[seats.length - 1];
    if (first === undefined || last === undefined) continue;
    const row = rowTexts.length;
    const text = venue.rows[first] ?? '';
    rowTexts.push(text);
    for (const seat of seats) rowOf[seat] = row;
    rowLabels.push({ row, text, ...beyond(venue, first, seats[1], spacing, -1) });
    rowLabels.push({ row, text, ...beyond(venue, last, seats[seats.length - 2], spacing, 1) });
  }
  return { sections, rows: apart(rowLabels, spacing), rowOf, rowTexts };
}

/**
 * Row letters less than a pitch from one already kept are dropped: across a narrow aisle the
 * right end of one section's row and the left end of the next one's would print "AA".
 */
function apart(labels: RowLabel[], spacing: number): RowLabel[] {
  const taken = new Set<string>();
  const cell = (x: number, y: number) => `${Math.round(x / spacing)},${Math.round(y / spacing)}`;
  return labels.filter(({ x, y }) => {
    const cx = Math.round(x / spacing);
    const cy = Math.round(y / spacing);
    for (let dx = -1; dx <= 1; dx++) {
      if (taken.has(`${cx + dx},${cy}`)) return false;
    }
    taken.add(cell(x, y));
    return true;
  });
}

/**
 * A section's seats split where a gap across is wider than a few seats (one section on both
 * sides of another gets a name over each side), as bounds.
 */
function blocks(venue: Venue, seats: readonly number[], spacing: number): Bounds[] {
  const byX = [...seats].sort((a, b) => (venue.xs[a] ?? 0) - (venue.xs[b] ?? 0));
  const found: Bounds[] = [];
  let current: Bounds | null = null;
  let lastX = -Infinity;
  for (const seat of byX) {
    const x = venue.xs[seat] ?? 0;
    const y = venue.ys[seat] ?? 0;
    if (current === null || x - lastX > spacing * 2.5) {
      current = { minX: x, minY: y, maxX: x, maxY: y };
      found.push(current);
    }
    current.minX = Math.min(current.minX, x);
    current.minY = Math.min(current.minY, y);
    current.maxX = Math.max(current.maxX, x);
    current.maxY = Math.max(current.maxY, y);
    lastX = x;
  }
  return found;
}

/**
 * One pitch past `end`, away from its neighbour in the row; a row of one seat gets a letter on
 * each side (`side` −1 left, +1 right).
 */
function beyond(
  venue: Venue,
  end: number,
  inner: number | undefined,
  spacing: number,
  side: -1 | 1,
): { x: number; y: number } {
  const x = venue.xs[end] ?? 0;
  const y = venue.ys[end] ?? 0;
  if (inner === undefined) return { x: x + side * spacing, y };
  const dx = x - (venue.xs[inner] ?? 0);
  const dy = y - (venue.ys[inner] ?? 0);
  const length = Math.hypot(dx, dy);
  if (length === 0) return { x: x + side * spacing, y };
  return { x: x + (dx / length) * spacing, y: y + (dy / length) * spacing };
}
