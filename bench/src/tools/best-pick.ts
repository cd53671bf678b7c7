// `node --conditions=ticketmain-source --import tsx bench/src/tools/best-pick.ts`: the CPU time
// of one best-of-2 pick (lone-seat rule on) of the 100,000-seat stadium as it fills pair by pair,
// at 2,000, 10,000 and 40,000 seats held: with the row vacancy best available keeps, with it and
// the claims of a storm (the pairs of the last RECENT picks claimed, as a replica keeps the holds
// of the last 2 s, and IN_FLIGHT more claimed and not in the view, as holds not answered yet), and
// with the plain search of the seats (no vacancy). All must pick the same seats.
import {
  buildBestIndex,
  pickBest,
  RowClaims,
  RowVacancy,
  type BestQuery,
} from '../../../apps/server/src/domain/best-seats.js';
import { indexLayout, stadium } from '@ticketmain/server/venue';

const AT = [2_000, 10_000, 40_000];
/** Picks timed at each mark (their seats are not held, so the state stays the mark's). */
const SAMPLES = 200;
/** Held pairs still claimed: 2 s of a storm at ~1,000 picks/s. */
const RECENT = 2_000;
/** Picks in flight: claimed, not in the view yet (100 connections). */
const IN_FLIGHT = 100;

const venue = indexLayout(stadium());
const index = buildBestIndex(venue.seatById, venue.focus);
const query: BestQuery = { quantity: 2, adjacent: true, singleSeatRule: true };
const taken = new Set<string>();
const vacancy = new RowVacancy(index);
const claims = new RowClaims(index);
const recent: string[][] = [];
const free = (id: string) => !taken.has(id);

function time(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < SAMPLES; i++) fn();
  return Number(process.hrtime.bigint() - start) / SAMPLES / 1_000;
}

for (const mark of AT) {
  while (taken.size < mark) {
    const pick = pickBest(index, query, free, vacancy);
    if (pick === undefined) throw new Error('the stadium is full');
    for (const id of pick.seatIds) {
      taken.add(id);
      vacancy.set(id, false);
    }
    claims.add(pick.seatIds);
    recent.push(pick.seatIds);
    if (recent.length > RECENT) claims.remove(recent.shift() as string[]);
  }
  // The picks in flight: claimed and free in the view, so the picks on it pass over them.
  const flying = new Set<string>();
  const notFlying = (id: string) => free(id) && !flying.has(id);
  const inFlight: string[][] = [];
  for (let i = 0; i < IN_FLIGHT; i++) {
    const pick = pickBest(index, query, notFlying, vacancy, claims);
    if (pick === undefined) break;
    for (const id of pick.seatIds) flying.add(id);
    claims.add(pick.seatIds);
    inFlight.push(pick.seatIds);
  }
  const plain = pickBest(index, query, free);
  const fast = pickBest(index, query, free, vacancy);
  if (plain?.seatIds.join() !== fast?.seatIds.join()) throw new Error(`different picks at ${mark}`);
  const stormPlain = pickBest(index, query, notFlying);
  const storm = pickBest(index, query, notFlying, vacancy, claims);
  if (stormPlain?.seatIds.join() !== storm?.seatIds.join()) {
    throw new Error(`different picks with claims at ${mark}`);
  }
  const plainUs = time(() => pickBest(index, query, free));
  const fastUs = time(() => pickBest(index, query, free, vacancy));
  const stormUs = time(() => pickBest(index, query, notFlying, vacancy, claims));
  console.log(
    `${mark.toLocaleString('en')} held: plain ${plainUs.toFixed(1)} µs, vacancy ` +
      `${fastUs.toFixed(1)} µs, vacancy with a storm's claims ${stormUs.toFixed(1)} µs per pick`,
  );
  for (const seatIds of inFlight) claims.remove(seatIds);
}
