// The demo venue and event seeded on first start: a 900-seat arena, 30 rows of 30 seats facing a stage.
// Three blocks split by two aisles; the front rows are VIP, then Premium, then Standard.
import type { LayoutRow, LayoutSection, VenueLayout } from '@ticketmain/protocol';

export const DEMO_EVENT = {
  id: 'arena-demo',
  name: 'Ticketmain Live — Opening Night',
  venueName: 'Ticketmain Arena',
  startsAt: '2030-09-18T19:30:00.000Z',
  currency: 'USD',
} as const;

const ROWS = 30;
const SEATS_PER_ROW = 30;
/** Last seat number of the left block and of the centre block; the aisles run after them. */
const LEFT_BLOCK_END = 8;
const CENTRE_BLOCK_END = 22;
/** Rows (0-based) where a tier ends: A–E are VIP, F–O Premium, P–AD Standard. */
const VIP_ROWS = 5;
const PREMIUM_ROWS_END = 15;

const SEAT_PITCH = 24;
const ROW_PITCH = 26;
const AISLE_WIDTH = 36;
const CROSS_AISLE_DEPTH = 20;
const FIRST_ROW_Y = 100;
const STAGE = { width: 400, height: 60 };

/** Spreadsheet-style row labels: 0 → A, 25 → Z, 26 → AA, 29 → AD. */
export function rowLabel(index: number): string {
  let label = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    label = String.fromCharCode(65 + ((n - 1) % 26)) + label;
  }
  return label;
}

export function demoArena(): VenueLayout {
  const range = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const sideSeats = [...range(1, LEFT_BLOCK_END), ...range(CENTRE_BLOCK_END + 1, SEATS_PER_ROW)];
  const centreSeats = range(LEFT_BLOCK_END + 1, CENTRE_BLOCK_END);
  const allSeats = range(1, SEATS_PER_ROW);
  const vip = range(0, VIP_ROWS - 1);
  return {
    name: DEMO_EVENT.venueName,
    stage: { x: centreX() - STAGE.width / 2, y: 0, ...STAGE, label: 'Stage' },
    sections: [
      section('vip-centre', 'VIP Centre', 50_000, vip, centreSeats),
      section('vip-wings', 'VIP Wings', 50_000, vip, sideSeats),
      section('premium', 'Premium', 25_000, range(VIP_ROWS, PREMIUM_ROWS_END - 1), allSeats),
      section('standard', 'Standard', 10_000, range(PREMIUM_ROWS_END, ROWS - 1), allSeats),
    ],
  };
}

function section(
  id: string,
  name: string,
  price: number,
  rowIndexes: number[],
  seatNumbers: number[],
): LayoutSection {
  return { id, name, price, rows: rowIndexes.map((index) => row(index, seatNumbers)) };
}

function row(index: number, seatNumbers: number[]): LayoutRow {
  const label = rowLabel(index);
  const y = seatY(index);
  return {
    label,
    seats: seatNumbers.map((number) => ({ id: `${label}${number}`, number, x: seatX(number), y })),
  };
}

function seatX(number: number): number {
  const aisles = (number > LEFT_BLOCK_END ? 1 : 0) + (number > CENTRE_BLOCK_END ? 1 : 0);
  return (number - 1) * SEAT_PITCH + aisles * AISLE_WIDTH;
}

/** Cross aisles between the price tiers keep the tiers apart on the map. */
function seatY(index: number): number {
  const crossAisles = (index >= VIP_ROWS ? 1 : 0) + (index >= PREMIUM_ROWS_END ? 1 : 0);
  return FIRST_ROW_Y + index * ROW_PITCH + crossAisles * CROSS_AISLE_DEPTH;
}

function centreX(): number {
  return (seatX(1) + seatX(SEATS_PER_ROW)) / 2;
}
