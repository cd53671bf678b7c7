// Test fixtures: a tiny event (3 rows of 4 seats, two price sections) and protocol messages.
import type {
  EventDetail,
  SeatChange,
  SeatStatus,
  SeatsMessage,
  SnapshotMessage,
} from '@ticketmain/protocol';
import { buildVenue, type Venue } from '../state/venue';

export const EVENT_ID = 'test-event';

/** Rows A (Premium, $250), B and C (Standard, $100); seats 1–4, 10 apart; A1 is at (0, 0). */
export function smallEvent(): EventDetail {
  const rows = ['A', 'B', 'C'];
  return {
    id: EVENT_ID,
    name: 'Test Night',
    venueName: 'Test Hall',
    startsAt: '2030-01-01T20:00:00.000Z',
    currency: 'USD',
    seatCount: 12,
    rules: { singleSeatRule: false, buyerCancellationUntil: null },
    queue: null,
    stage: { x: 0, y: -30, width: 30, height: 10, label: 'Stage' },
    sections: [
      { id: 'premium', name: 'Premium', price: 25_000, kind: 'seated' },
      { id: 'standard', name: 'Standard', price: 10_000, kind: 'seated' },
    ],
    seats: rows.flatMap((row, r) =>
      [1, 2, 3, 4].map((number) => ({
        id: `${row}${number}`,
        sectionId: r === 0 ? 'premium' : 'standard',
        row,
        number,
        x: (number - 1) * 10,
        y: r * 10,
      })),
    ),
  };
}

export function smallVenue(): Venue {
  return buildVenue(smallEvent());
}

export function snapshot(seq: number, held: string[] = [], sold: string[] = []): SnapshotMessage {
  return { type: 'snapshot', eventId: EVENT_ID, seq, held, sold };
}

export function change(seq: number, seatId: string, status: SeatStatus): SeatChange {
  return { seq, seatId, status };
}

export function seats(...changes: SeatChange[]): SeatsMessage {
  return { type: 'seats', eventId: EVENT_ID, changes };
}
