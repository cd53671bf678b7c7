// A venue layout made from a few numbers: sections side by side facing a stage, each with its
// rows (A, B, …) of numbered seats, and general-admission areas side by side on a floor between
// the stage and the seats. What an organiser without a drawing of the venue starts from.
import {
  isGaSection,
  seatedSections,
  type LayoutGaSection,
  type LayoutSection,
  type VenueLayout,
} from '@ticketmain/protocol';

export interface SectionSpec {
  name: string;
  /** Cents. */
  price: number;
  rows: number;
  seatsPerRow: number;
}

/** A general-admission area: places sold by quantity, without seats. */
export interface AreaSpec {
  name: string;
  /** Cents. */
  price: number;
  capacity: number;
}

export interface LayoutSpec {
  venueName: string;
  stageLabel: string;
  sections: SectionSpec[];
  /** Drawn in front of the seats, nearest the stage; none by default. */
  areas?: AreaSpec[];
}

const PITCH = 24;
const ROW_GAP = 26;
/** An aisle of three seats' width between sections: room for both sections' row letters. */
const SECTION_GAP = 4 * PITCH;
const STAGE_HEIGHT = 60;
const STAGE_GAP = 90;
/** A floor area's depth, and its least width: room for its name and places left at a glance. */
const AREA_DEPTH = 200;
const MIN_AREA_WIDTH = 260;
const AREA_GAP = 2 * PITCH;

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
  const areas = spec.areas ?? [];
  // One id space: a GA place id `<id>.<n>` names its section, so no two sections share an id.
  const ids = sectionIds([...spec.sections, ...areas].map((s) => s.name));
  const seatedWidth = spec.sections.reduce(
    (sum, section, s) => sum + (s > 0 ? SECTION_GAP : 0) + (section.seatsPerRow - 1) * PITCH,
    0,
  );
  const floorWidth =
    areas.length === 0 ? 0 : areas.length * MIN_AREA_WIDTH + (areas.length - 1) * AREA_GAP;
  const width = Math.max(PITCH, seatedWidth, floorWidth);
  const floorTop = STAGE_HEIGHT + STAGE_GAP;
  const seatsTop = areas.length === 0 ? floorTop : floorTop + AREA_DEPTH + STAGE_GAP;
  const seated = seatedRows(spec.sections, ids, (width - seatedWidth) / 2, seatsTop);
  const floor = floorAreas(areas, ids.slice(spec.sections.length), width, floorTop);
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
    sections: [...seated, ...floor],
  };
}

/** The seated sections side by side from `left`, their first rows at `top`. */
function seatedRows(
  specs: SectionSpec[],
  ids: string[],
  left: number,
  top: number,
): LayoutSection[] {
  let x = left;
  return specs.map((section, s) => {
    const id = ids[s] ?? `section-${s + 1}`;
    const x0 = x;
    x += (section.seatsPerRow - 1) * PITCH + SECTION_GAP;
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
            y: top + r * ROW_GAP,
          })),
        };
      }),
    };
  });
}

/** The GA areas side by side across `width`, equally wide, their fronts at `top`. */
function floorAreas(
  specs: AreaSpec[],
  ids: string[],
  width: number,
  top: number,
): LayoutGaSection[] {
  const each = (width - (specs.length - 1) * AREA_GAP) / Math.max(1, specs.length);
  return specs.map((area, a) => ({
    id: ids[a] ?? `area-${a + 1}`,
    name: area.name,
    price: area.price,
    capacity: area.capacity,
    area: { x: a * (each + AREA_GAP), y: top, width: each, height: AREA_DEPTH },
  }));
}

export function seatCount(layout: VenueLayout): number {
  return seatedSections(layout).reduce(
    (n, section) => n + section.rows.reduce((m, row) => m + row.seats.length, 0),
    0,
  );
}

/** The places of the layout's general-admission areas. */
export function placeCount(layout: VenueLayout): number {
  return layout.sections.reduce(
    (n, section) => n + (isGaSection(section) ? section.capacity : 0),
    0,
  );
}
