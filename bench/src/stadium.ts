// The 100,000-seat stadium event the HTTP scenarios play on, created through the admin API, and
// its seats split into disjoint pools so that one scenario's leftovers do not skew the next.
import { stadium } from '@ticketmain/server/venue';
import { seatedSections } from '@ticketmain/protocol';
import { clientOf, rethrowAs, type ApiTarget } from './api.js';
import { seededRandom, shuffled } from './util.js';

export interface StadiumEvent {
  eventId: string;
  /** Seats only; the GA floor (STADIUM_FLOOR) has its places besides. */
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

/** The standing floor on the pitch: general admission, held by quantity (docs/api.md). */
export const STADIUM_FLOOR = { sectionId: 'floor', capacity: 20_000 } as const;

export async function createStadium(server: ApiTarget): Promise<StadiumEvent> {
  const seated = stadium();
  const { stage } = seated;
  // Inside the pitch, a tenth of its size in from each side: the seats stay where they were.
  const area = {
    x: stage.x + stage.width / 10,
    y: stage.y + stage.height / 10,
    width: (stage.width * 8) / 10,
    height: (stage.height * 8) / 10,
  };
  const floor = { id: STADIUM_FLOOR.sectionId, name: 'Floor (standing)', price: 4_500, area };
  const venue = {
    ...seated,
    sections: [...seated.sections, { ...floor, capacity: STADIUM_FLOOR.capacity }],
  };
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
