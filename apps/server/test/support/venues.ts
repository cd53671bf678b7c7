// The smallest venue and event the tests create: one seat, A1, in one section, `floor`. The
// waiting room's tests use it, where the line matters and the seats hardly do.
import type { CreateEventRequest, VenueLayout } from '@ticketmain/protocol';

export function oneSeatVenue(name = 'Hall'): VenueLayout {
  return {
    name,
    stage: { x: 0, y: 0, width: 100, height: 20, label: 'Stage' },
    sections: [
      {
        id: 'floor',
        name: 'Floor',
        price: 1_000,
        rows: [{ label: 'A', seats: [{ id: 'A1', number: 1, x: 0, y: 40 }] }],
      },
    ],
  };
}

/** An event on the one-seat venue, in 2031. */
export function oneSeatEvent(id: string, name: string): CreateEventRequest {
  return {
    id,
    name,
    venue: oneSeatVenue(),
    startsAt: '2031-01-01T20:00:00.000Z',
    currency: 'EUR',
  };
}

/** Epoch ms as the API's ISO time. */
export const at = (ms: number) => new Date(ms).toISOString();
