// The 100,000-seat stadium event the HTTP scenarios play on, created through the admin API, and
// its seats split into disjoint pools so that one scenario's leftovers do not skew the next.
import { stadium } from '@ticketmain/server/venue';
import { seatedSections } from '@ticketmain/protocol';
import { clientOf, rethrowAs, type ApiTarget } from './api.js';
import { seededRandom, shuffled } from './util.js';

export interface StadiumEvent {
  eventId: string;
  seatCount: number;
  seatIds: readonly string[];
  pools: {
    /** The few seats that every session fights over in hold-storm. */
    storm: readonly string[];
    /** Random holds and releases of hold-spread. */
    spread: readonly string[];
    /** Seats bought in checkout, each at most once. */
    checkout: readonly string[];
  };
}

export const STADIUM_EVENT_ID = 'bench-stadium';
const STORM_SEATS = 50;
const SPREAD_SEATS = 40_000;
/** Creating the 100,000 seats takes seconds, more on a busy machine. */
const CREATE_TIMEOUT_MS = 120_000;

export async function createStadium(server: ApiTarget): Promise<StadiumEvent> {
  const venue = stadium();
  const api = clientOf(server, { timeoutMs: CREATE_TIMEOUT_MS });
  await api
    .createEvent({
      id: STADIUM_EVENT_ID,
      name: 'Bench Stadium Night',
      venue,
      startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      currency: 'USD',
    })
    .catch(rethrowAs('creating the stadium'));
  const seatIds = seatedSections(venue).flatMap((s) =>
    s.rows.flatMap((r) => r.seats.map((x) => x.id)),
  );
  const order = shuffled(seatIds, seededRandom(20_240_601));
  return {
    eventId: STADIUM_EVENT_ID,
    seatCount: seatIds.length,
    seatIds,
    pools: {
      storm: order.slice(0, STORM_SEATS),
      spread: order.slice(STORM_SEATS, STORM_SEATS + SPREAD_SEATS),
      checkout: order.slice(STORM_SEATS + SPREAD_SEATS),
    },
  };
}
