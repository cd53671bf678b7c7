// hold-storm: 10,000 sessions fighting over the same 50 seats. A winner releases its seat on the
// next request, so the seats keep changing hands. Three checks of "one owner": a sampler reads
// the store all along; the bench's own sure-ownership windows must never overlap; and at rest,
// exactly the holds the bench saw confirmed (or could not see answered) are in the store.
import type { InvariantChecker, OwnershipWindow, Violation } from '../invariants.js';
import { checkOwnershipWindows, violation } from '../invariants.js';
import { call } from '../http.js';
import { holdTargets, measure, runDetails, statusClasses, type Scenario } from '../scenario.js';
import { SessionRing } from '../sessions.js';
import { mapLimit, randomInt, round, sample, seededRandom, sleep, Fifo } from '../util.js';

interface StormOp {
  kind: 'hold' | 'release';
  session: number;
  seats: string[];
}

interface Win {
  session: number;
  seatId: string;
  /** When the bench received the 201 (ms, performance clock). */
  from: number;
}

const SAMPLE_EVERY_MS = 50;

export const holdStorm: Scenario = {
  name: 'hold-storm',
  summary: 'all sessions fight over the same 50 seats; one owner per seat at every sample',
  async run(ctx) {
    const { eventId, pools } = ctx.stadium;
    const seats = pools.storm;
    const ring = new SessionRing(ctx.sessions);
    const random = seededRandom(2);
    const wins = new Fifo<Win>();
    /** Confirmed holds whose release was not sent yet, by `${session} ${seat}`. */
    const holding = new Map<string, Win>();
    const releasesLeft = new Map<number, number>();
    const windows: OwnershipWindow[] = [];
    let lostReleases = 0;

    const sampler = startSampler(ctx.checker, eventId, seats);
    const m = await measure<StormOp>(ctx, {
      url: ctx.server.url,
      connections: ctx.connections,
      durationS: ctx.durationS,
      maxRequests: 5_000_000,
      next() {
        const win = wins.shift();
        if (win !== undefined) {
          holding.delete(pairKey(win.session, win.seatId));
          const owner = ring.sessionId(win.session);
          windows.push({ seatId: win.seatId, owner, from: win.from, to: performance.now() });
          const op: StormOp = { kind: 'release', session: win.session, seats: [win.seatId] };
          const path = `/api/events/${eventId}/holds/${encodeURIComponent(win.seatId)}`;
          return { op, method: 'DELETE', path, token: ring.token(win.session) };
        }
        const session = ring.take() ?? 0;
        const op: StormOp = {
          kind: 'hold',
          session,
          seats: sample(seats, 1 + randomInt(random, 2), random),
        };
        const body = { seatIds: op.seats };
        return {
          op,
          method: 'POST',
          path: `/api/events/${eventId}/holds`,
          token: ring.token(session),
          body,
        };
      },
      done(op, status) {
        if (op.kind === 'hold') {
          if (status !== 201) return ring.free(op.session);
          releasesLeft.set(op.session, op.seats.length);
          for (const seatId of op.seats) {
            const w = { session: op.session, seatId, from: performance.now() };
            wins.push(w);
            holding.set(pairKey(op.session, seatId), w);
          }
          return;
        }
        if (status !== 204) lostReleases++;
        const left = (releasesLeft.get(op.session) ?? 1) - 1;
        releasesLeft.set(op.session, left);
        if (left <= 0) ring.free(op.session);
      },
      kind: (op) => op.kind,
    });
    const samples = await sampler.stop();

    await sleep(500);
    const unanswered = new Set(
      m.load.unanswered.flatMap((op) => op.seats.map((s) => pairKey(op.session, s))),
    );
    const atRest = await checkAtRest(ctx.checker, eventId, seats, holding, unanswered, ring);
    for (const w of holding.values()) {
      windows.push({
        seatId: w.seatId,
        owner: ring.sessionId(w.session),
        from: w.from,
        to: Infinity,
      });
    }
    const violations: Violation[] = [
      ...samples.violations,
      ...checkOwnershipWindows(eventId, windows),
      ...atRest,
    ];
    if (lostReleases > 0) {
      violations.push({
        invariant: 'lost-hold',
        eventId,
        detail: `${lostReleases} releases of confirmed holds failed`,
      });
    }
    const released = await releaseAll(ctx.server.url, eventId, [...holding.values()], ring);

    const classes = statusClasses(m.load, [201, 204], [409]);
    const sampleTarget = {
      label: 'one owner at every sample',
      measured: `${samples.count} samples, ${samples.bad} bad`,
      pass: samples.count > 0 && samples.bad === 0,
    };
    return {
      name: 'hold-storm',
      throughput: { value: round(m.rps, 0), unit: 'req/s' },
      p50Ms: m.p50Ms,
      p99Ms: m.p99Ms,
      errors: classes.errors,
      targets: [...holdTargets(ctx, m), sampleTarget],
      violations,
      details: {
        ...runDetails(m),
        wins: windows.length,
        refused: classes.refused,
        serverErrors: classes.serverErrors,
        unexpectedStatuses: classes.unexpected,
        samples: samples.count,
        meanSeatsHeldPerSample: samples.count > 0 ? round(samples.held / samples.count, 1) : null,
        releasedAfter: released,
      },
    };
  },
};

function pairKey(session: number, seatId: string): string {
  return `${session} ${seatId}`;
}

interface SampleSummary {
  count: number;
  bad: number;
  held: number;
  violations: Violation[];
}

/** Polls the storm seats every 50 ms until stopped; keeps the first violations it sees. */
function startSampler(checker: InvariantChecker, eventId: string, seats: readonly string[]) {
  const summary: SampleSummary = { count: 0, bad: 0, held: 0, violations: [] };
  let running = true;
  const loop = (async () => {
    while (running) {
      const { violations, holders } = await checker.sampleSeats(eventId, seats);
      summary.count++;
      summary.held += holders.size;
      if (violations.length > 0) {
        summary.bad++;
        if (summary.violations.length < 5) summary.violations.push(...violations);
      }
      await sleep(SAMPLE_EVERY_MS);
    }
  })();
  return {
    async stop(): Promise<SampleSummary> {
      running = false;
      await loop;
      return summary;
    },
  };
}

/**
 * At rest, the store holds exactly what the bench saw: every confirmed, unreleased hold, and no
 * hold of a session the bench saw refused or released, except where a request went unanswered.
 */
async function checkAtRest(
  checker: InvariantChecker,
  eventId: string,
  seats: readonly string[],
  holding: Map<string, Win>,
  unanswered: Set<string>,
  ring: SessionRing,
): Promise<Violation[]> {
  const holders = await checker.readHolders(eventId, seats);
  const sessionIndex = new Map(ring.sessions.map((s, i) => [s.sessionId, i]));
  const stray: string[] = [];
  for (const [seatId, owner] of holders) {
    const key = pairKey(sessionIndex.get(owner) ?? -1, seatId);
    if (!holding.has(key) && !unanswered.has(key)) stray.push(seatId);
  }
  const lost = [...holding.values()]
    .filter((w) => holders.get(w.seatId) !== ring.sessionId(w.session))
    .map((w) => w.seatId);
  return [
    violation(
      'all-or-nothing',
      eventId,
      'seats held by a session whose hold was refused or released',
      stray,
    ),
    violation('lost-hold', eventId, 'confirmed, unreleased holds missing from the store', lost),
  ].filter((v): v is Violation => v !== null);
}

/** Leaves the storm seats free for whatever runs next. */
async function releaseAll(
  url: string,
  eventId: string,
  left: Win[],
  ring: SessionRing,
): Promise<number> {
  const { results } = await mapLimit(left, 8, Date.now() + 10_000, async (w) => {
    const path = `/api/events/${eventId}/holds/${encodeURIComponent(w.seatId)}`;
    return (await call(url, 'DELETE', path, { token: ring.token(w.session) })).status === 204;
  });
  return results.filter((ok) => ok === true).length;
}
