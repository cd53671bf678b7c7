// The probe of the race the checker found: a session orders a seat in one tab and releases it
// in another 0–8 ms later; the moment the release answers 204 another session holds the seat.
// Before seats were marked in checkout, the order could then sell the seat the other held.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../support/server.js';
import { check } from './checker.js';
import { describeHistory } from './shrink.js';
import {
  DEPLOYMENTS,
  createEvent,
  rowSeats,
  startDeployment,
  type Deployment,
} from './deployments.js';
import { HistoryRecorder, openTabs, prng, type Tab } from './http-history.js';
import {
  ANSWER,
  checkoutRefusalsWithoutOrder,
  seatModel,
  type SeatOperation,
  type SeatOutput,
} from './seat-model.js';

const TRIALS = 300;
/** Trials run this many at a time, each on its own seat with its own two sessions. */
const LANES = 4;
const MAX_DELAY_MS = 8;

interface Trial {
  order: SeatOutput;
  release: SeatOutput;
  /** The other session's hold, made once the release answered 204. */
  otherHold: SeatOutput | undefined;
  /** The seat in the other session's snapshot afterwards. */
  finally: string;
  history: SeatOperation[];
}

describe.each(DEPLOYMENTS)('order and release of one seat from two tabs (%s)', (kind) => {
  let deployment: Deployment;
  let eventId: string;
  const seats = rowSeats(TRIALS);
  beforeAll(async () => {
    deployment = await startDeployment(kind);
    eventId = uniqueName('race');
    await createEvent(deployment.urls[0]!, eventId, seats);
  }, 60_000);
  afterAll(() => deployment?.close());

  it(`${TRIALS} trials: the seat never goes to both sessions`, async () => {
    const started = performance.now();
    const random = prng(TRIALS);
    const trials: Trial[] = [];
    await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        for (let i = lane; i < TRIALS; i += LANES) {
          // One in nine releases is sent with the order (it often arrives first), the others
          // up to 8 ms later, at any fraction of a millisecond.
          const draw = random() * (MAX_DELAY_MS + 1) - 1;
          const delay = Math.max(0, draw);
          trials.push(await trial(deployment, eventId, seats[i]!, delay));
        }
      }),
    );

    const outcomes = new Map<string, number>();
    for (const t of trials) {
      const key = `order ${t.order}, release ${t.release}, other's hold ${t.otherHold ?? '-'}, then ${t.finally}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    console.info(
      `${kind}: ${trials.length} trials in ${Math.round(performance.now() - started)} ms\n` +
        [...outcomes]
          .sort(([, a], [, b]) => b - a)
          .map(([key, n]) => `  ${String(n).padStart(4)}  ${key}`)
          .join('\n'),
    );

    const anomalies = trials.filter(
      (t) => t.otherHold === ANSWER.created && (t.order === ANSWER.created || t.finally === 'SOLD'),
    );
    expect(anomalies.map((t) => describeHistory(seatModel, t.history))).toEqual([]);
    for (const t of trials) {
      expect(check(seatModel, t.history).verdict, describeHistory(seatModel, t.history)).toBe('ok');
      expect(checkoutRefusalsWithoutOrder(t.history)).toEqual([]);
    }
  }, 120_000);
});

async function trial(
  deployment: Deployment,
  eventId: string,
  seat: string,
  delay: number,
): Promise<Trial> {
  // Session 0 from two tabs (on both replicas when there are two), session 1 from one.
  const [first, second, other] = (await openTabs(deployment.urls, 2, 1)) as [Tab, Tab, Tab];
  const recorder = new HistoryRecorder(eventId);
  const call = (tab: Tab, kind: 'hold' | 'release' | 'order') =>
    recorder.run(tab, { kind, session: tab.session, seat });
  expect(await call(first, 'hold')).toBe(ANSWER.created);

  let otherHold: SeatOutput | undefined;
  const [order, release] = await Promise.all([
    call(first, 'order'),
    (async () => {
      if (delay > 0) await pause(delay);
      const answer = await call(second, 'release');
      if (answer === ANSWER.released) otherHold = await call(other, 'hold');
      return answer;
    })(),
  ]);
  const seen = await recorder.run(other, {
    kind: 'snapshot',
    session: other.session,
    seats: [seat],
  });
  const view = typeof seen === 'string' ? seen : (seen.views[seat] ?? '?');
  return { order, release, otherHold, finally: view, history: recorder.operations };
}

/**
 * Waits `ms`, fractions too, by yielding turn after turn of the event loop: a timer waits whole
 * milliseconds (one at least), coarse next to a checkout that lasts a few.
 */
async function pause(ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) await new Promise((resolve) => setImmediate(resolve));
}
