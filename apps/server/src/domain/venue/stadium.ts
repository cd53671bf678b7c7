// A deterministic stadium generator for the bench: sections in three oval rings around a pitch,
// priced by ring (lower $150, middle $90, upper $45); 100,000 seats by default.
import {
  MAX_VENUE_SEATS,
  type LayoutRow,
  type LayoutSection,
  type VenueLayout,
} from '@ticketmain/protocol';

export const STADIUM_DEFAULT_SEATS = 100_000;
const SECTIONS = 40;
const TIERS = [
  { name: 'Lower', price: 15_000 },
  { name: 'Middle', price: 9_000 },
  { name: 'Upper', price: 4_500 },
] as const;

const SEAT_PITCH = 10;
const ROW_PITCH = 10;
const RING_GAP = 30;
const MIN_INNER_RADIUS = 150;
/** The oval: x is stretched, so every distance is at least its circular one. */
const X_STRETCH = 1.3;
/** Share of a section's arc that holds seats; the rest is the aisle to the next section. */
const SEATED_ARC = 0.9;

interface Grid {
  rows: number;
  seatsPerRow: number;
}

interface Ring {
  tier: (typeof TIERS)[number];
  sections: number;
  innerRadius: number;
}

export function stadium(options: { seats?: number } = {}): VenueLayout {
  const total = options.seats ?? STADIUM_DEFAULT_SEATS;
  if (!Number.isInteger(total) || total < 1 || total > MAX_VENUE_SEATS) {
    throw new RangeError(`A stadium has 1 to ${MAX_VENUE_SEATS} seats, not ${total}.`);
  }
  const sectionCount = Math.min(SECTIONS, total);
  const grid = gridFor(Math.ceil(total / sectionCount));
  const rings = planRings(sectionCount, grid);
  const sections: LayoutSection[] = [];
  for (const ring of rings) {
    for (let slot = 0; slot < ring.sections; slot++) {
      const index = sections.length;
      // Spread the seats evenly: the first (total % sectionCount) sections get one more.
      const seats = Math.floor(total / sectionCount) + (index < total % sectionCount ? 1 : 0);
      sections.push(section(index + 1, ring, slot, grid, seats));
    }
  }
  return {
    name: 'Bench Stadium',
    stage: pitch(rings[0]?.innerRadius ?? MIN_INNER_RADIUS),
    sections,
  };
}

/** A near-square block of rows, big enough for the largest section. */
function gridFor(seatsPerSection: number): Grid {
  const rows = Math.ceil(Math.sqrt(seatsPerSection));
  return { rows, seatsPerRow: Math.ceil(seatsPerSection / rows) };
}

/** Splits the sections over the three tiers, each ring far enough out for its seats not to touch. */
function planRings(sectionCount: number, grid: Grid): Ring[] {
  const base = Math.floor(sectionCount / TIERS.length);
  const extra = sectionCount % TIERS.length;
  const rings: Ring[] = [];
  let minRadius = MIN_INNER_RADIUS;
  TIERS.forEach((tier, i) => {
    const sections = base + (i < extra ? 1 : 0);
    if (sections === 0) return;
    const circumference = (sections * grid.seatsPerRow * SEAT_PITCH) / SEATED_ARC;
    const innerRadius = Math.max(minRadius, Math.ceil(circumference / (2 * Math.PI)));
    rings.push({ tier, sections, innerRadius });
    minRadius = innerRadius + (grid.rows - 1) * ROW_PITCH + RING_GAP;
  });
  return rings;
}

function section(
  number: number,
  ring: Ring,
  slot: number,
  grid: Grid,
  seats: number,
): LayoutSection {
  const id = `S${pad(number)}`;
  const arc = (2 * Math.PI) / ring.sections;
  const firstAngle = slot * arc + (arc * (1 - SEATED_ARC)) / 2;
  const angleStep = (arc * SEATED_ARC) / grid.seatsPerRow;
  const rows: LayoutRow[] = [];
  for (let r = 0; r * grid.seatsPerRow < seats; r++) {
    const radius = ring.innerRadius + r * ROW_PITCH;
    const inRow = Math.min(grid.seatsPerRow, seats - r * grid.seatsPerRow);
    const rowSeats = Array.from({ length: inRow }, (_, s) => {
      const angle = firstAngle + (s + 0.5) * angleStep;
      return {
        id: `${id}-R${pad(r + 1)}-${pad(s + 1)}`,
        number: s + 1,
        x: Math.round(X_STRETCH * radius * Math.cos(angle)),
        y: Math.round(radius * Math.sin(angle)),
      };
    });
    rows.push({ label: String(r + 1), seats: rowSeats });
  }
  return { id, name: `${ring.tier.name} ${number}`, price: ring.tier.price, rows };
}

/** The pitch, centred on the origin and well inside the lowest ring. */
function pitch(innerRadius: number) {
  const halfWidth = Math.floor(0.65 * X_STRETCH * innerRadius);
  const halfHeight = Math.floor(0.65 * innerRadius);
  const size = { width: 2 * halfWidth, height: 2 * halfHeight };
  return { x: -halfWidth, y: -halfHeight, ...size, label: 'Pitch' };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
