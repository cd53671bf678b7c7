// Random seat histories over real parallel HTTP calls (12 clients, 5 seats, sessions used from
// two tabs at once), each checked for linearizability against the seat model, on every deployment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../support/server.js';
import { check, type CheckResult } from './checker.js';
import { describeShrunk, shrink } from './shrink.js';
import {
  DEPLOYMENTS,
  createEvent,
  rowSeats,
  startDeployment,
  type Deployment,
} from './deployments.js';
import { HistoryRecorder, answerCounts, openTabs, randomHistory } from './http-history.js';
import {
  checkoutRefusalsWithoutOrder,
  projectBySeat,
  seatModel,
  type SeatCall,
  type SeatOperation,
  type SeatOutput,
} from './seat-model.js';

const HISTORIES = 3;
const OPERATIONS = 400;
const SEATS = rowSeats(5);
/** 8 sessions on 12 clients: the first 4 sessions from two tabs each. */
const SESSIONS = 8;
const TWO_TAB_SESSIONS = 4;

describe.each(DEPLOYMENTS)('seat histories over HTTP (%s)', (kind) => {
  let deployment: Deployment;
  beforeAll(async () => {
    deployment = await startDeployment(kind);
  }, 60_000);
  afterAll(() => deployment?.close());

  it(`${HISTORIES} histories of ${OPERATIONS} calls are linearizable, whole and seat by seat`, async () => {
    const started = performance.now();
    const all: SeatOperation[] = [];
    let steps = 0;
    for (let h = 0; h < HISTORIES; h++) {
      const eventId = uniqueName('history');
      await createEvent(deployment.urls[0]!, eventId, SEATS);
      const tabs = await openTabs(deployment.urls, SESSIONS, TWO_TAB_SESSIONS);
      const history = await randomHistory({
        recorder: new HistoryRecorder(eventId),
        tabs,
        seats: SEATS,
        operations: OPERATIONS,
        seed: h + 1,
      });
      // Seat by seat first: cheaper, and a contradiction found there shrinks to a short story.
      const bySeat = check(seatModel, projectBySeat(history));
      expect(bySeat.verdict, report(bySeat)).toBe('ok');
      const whole = check(seatModel, history);
      expect(whole.verdict, report(whole)).toBe('ok');
      expect(checkoutRefusalsWithoutOrder(history)).toEqual([]);
      steps += whole.steps + bySeat.steps;
      all.push(...history);
    }
    const counts = [...answerCounts(all)].map(([answer, n]) => `${answer}: ${n}`).join(', ');
    console.info(
      `${kind}: ${HISTORIES} histories, ${all.length} operations checked, 0 anomalies ` +
        `(${steps} search steps, ${Math.round(performance.now() - started)} ms); ${counts}`,
    );
  }, 120_000);
});

/** The failing part shrunk to the calls the contradiction needs, one per line. */
function report(result: CheckResult<SeatCall, SeatOutput>): string {
  if (result.failing === undefined) return '';
  if (result.verdict === 'unknown') {
    return `the search gave up after ${result.steps} steps on ${result.failing.length} calls`;
  }
  const core = shrink(seatModel, result.failing);
  return `${result.verdict} history; the calls it cannot be linearized without:\n${describeShrunk(seatModel, core, result.failing)}`;
}
