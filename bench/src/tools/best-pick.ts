// `node --conditions=ticketmain-source --import tsx bench/src/tools/best-pick.ts`: the CPU time
// of one best-of-2 pick (lone-seat rule on) of the 100,000-seat stadium as it fills pair by pair,
// at 2,000, 10,000 and 40,000 seats held: with the row vacancy best available keeps, and with the
// plain search of the seats (no vacancy). Both must pick the same seats.
import {
  buildBestIndex,
  pickBest,
  RowVacancy,
  type BestQuery,
} from '../../../apps/server/src/domain/best-seats.js';
import { indexLayout, stadium } from '@ticketmain/server/venue';

const AT = [2_000, 10_000, 40_000];
/** Picks timed at each mark (their seats are not held, so the state stays the mark's). */
const SAMPLES = 200;

const venue = indexLayout(stadium());
const index = buildBestIndex(venue.seatById, venue.focus);
const query: BestQuery = { quantity: 2, adjacent: true, singleSeatRule: true };
const taken = new Set<string>();
const vacancy = new RowVacancy(index);
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
  }
  const plain = pickBest(index, query, free);
  const fast = pickBest(index, query, free, vacancy);
  if (plain?.seatIds.join() !== fast?.seatIds.join()) throw new Error(`different picks at ${mark}`);
  const plainUs = time(() => pickBest(index, query, free));
  const fastUs = time(() => pickBest(index, query, free, vacancy));
  console.log(
    `${mark.toLocaleString('en')} held: plain ${plainUs.toFixed(1)} µs, vacancy ${fastUs.toFixed(1)} µs per pick`,
  );
}
