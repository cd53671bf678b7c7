// A venue layout made from a few numbers: sections side by side facing a stage, each with its
// rows (A, B, …) of numbered seats. What an organiser without a drawing of the venue starts from.
import { seatedSections, type VenueLayout } from '@ticketmain/protocol';

export interface SectionSpec {
  name: string;
  /** Cents. */
  price: number;
  rows: number;
  seatsPerRow: number;
}

export interface LayoutSpec {
  venueName: string;
  stageLabel: string;
  sections: SectionSpec[];
}

const PITCH = 24;
const ROW_GAP = 26;
/** An aisle of three seats' width between sections: room for both sections' row letters. */
const SECTION_GAP = 4 * PITCH;
const STAGE_HEIGHT = 60;
const STAGE_GAP = 50;

/** "A" … "Z", "AA", "AB", …: row letters as venues write them. */
export function rowLetter(index: number): string {
  let n = index;
  let label = '';
  do {
    label = String.fromCharCode(65 + (n % 26)) + label;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return label;
}

/** A section id from its name ("VIP Centre" → "vip-centre"), made unique with a number. */
function sectionIds(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((name, i) => {
    const base =
      name
        .toLowerCase()
        .normalize('NFKD')
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 40) || `section-${i + 1}`;
    let id = base;
    for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
    used.add(id);
    return id;
  });
}

export function generateLayout(spec: LayoutSpec): VenueLayout {
  const ids = sectionIds(spec.sections.map((s) => s.name));
  let left = 0;
  const sections = spec.sections.map((section, s) => {
    const id = ids[s] ?? `section-${s + 1}`;
    const x0 = left;
    left += (section.seatsPerRow - 1) * PITCH + SECTION_GAP;
    return {
      id,
      name: section.name,
      price: section.price,
      rows: Array.from({ length: section.rows }, (_, r) => {
        const label = rowLetter(r);
        return {
          label,
          seats: Array.from({ length: section.seatsPerRow }, (_, k) => ({
            id: `${id}-${label}${k + 1}`,
            number: k + 1,
            x: x0 + k * PITCH,
            y: STAGE_HEIGHT + STAGE_GAP + r * ROW_GAP,
          })),
        };
      }),
    };
  });
  const width = Math.max(PITCH, left - SECTION_GAP);
  const stageWidth = Math.max(120, width * 0.6);
  return {
    name: spec.venueName,
    stage: {
      x: width / 2 - stageWidth / 2,
      y: 0,
      width: stageWidth,
      height: STAGE_HEIGHT,
      label: spec.stageLabel,
    },
    sections,
  };
}

export function seatCount(layout: VenueLayout): number {
  return seatedSections(layout).reduce(
    (n, section) => n + section.rows.reduce((m, row) => m + row.seats.length, 0),
    0,
  );
}
