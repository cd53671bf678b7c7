// hold-storm: 10,000 sessions fighting over the same 50 seats. A winner releases its seat on the
// next request, so the seats keep changing hands. Three checks of "one owner": a sampler reads
// the store all along; the bench's own sure-ownership windows must never overlap; and at rest,
// exactly the holds the bench saw confirmed (or could not see answered) are in the store.
import { ApiError } from '@ticketmain/client';
import { clientOf, orRefusal, type ApiTarget } from '../api.js';
import type { InvariantChecker, OwnershipWindow, Violation } from '../invariants.js';
import { checkOwnershipWindows, violation } from '../invariants.js';
import type { LoadSpec, Planned } from '../load.js';
import {
  holdTargets,
  measure,
  runDetails,
  statusClasses,
  type BenchContext,
  type Measured,
  type Scenario,
  type ScenarioResult,
} from '../scenario.js';
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
    const plan = new StormPlan(ctx);
    const measured = await measureStorm(ctx, plan);
    const left = [...plan.holding.values()];
    const released = await releaseAll(ctx.server, ctx.stadium.eventId, left, plan.ring);
    return judge(ctx, plan, measured, released);
  },
};

/**
 * The storm's requests: a hold of 1–2 of the storm seats by the next free session, or, once a
 * hold is confirmed, the release of each of its seats; and what the bench saw of ownership.
 */
class StormPlan {
  readonly ring: SessionRing;
  /** Confirmed holds whose release was not sent yet, by `${session} ${seat}`. */
  readonly holding = new Map<string, Win>();
  readonly windows: OwnershipWindow[] = [];
  lostReleases = 0;
  private readonly random = seededRandom(2);
  private readonly wins = new Fifo<Win>();
  private readonly releasesLeft = new Map<number, number>();

  constructor(private readonly ctx: BenchContext) {
    this.ring = new SessionRing(ctx.sessions);
  }

  spec(): LoadSpec<StormOp> {
    return {
      url: this.ctx.server.url,
      connections: this.ctx.connections,
      durationS: this.ctx.durationS,
      maxRequests: 5_000_000,
      next: () => this.next(),
      done: (op, status) => this.done(op, status),
      kind: (op) => op.kind,
    };
  }

  next(): Planned<StormOp> {
    const { eventId, pools } = this.ctx.stadium;
    const { ring, random } = this;
    const win = this.wins.shift();
    if (win !== undefined) {
      this.holding.delete(pairKey(win.session, win.seatId));
      const owner = ring.sessionId(win.session);
      this.windows.push({ seatId: win.seatId, owner, from: win.from, to: performance.now() });
      const op: StormOp = { kind: 'release', session: win.session, seats: [win.seatId] };
      const path = `/api/events/${eventId}/holds/${encodeURIComponent(win.seatId)}`;
      return { op, method: 'DELETE', path, token: ring.token(win.session) };
    }
    const session = ring.take() ?? 0;
    const op: StormOp = {
      kind: 'hold',
      session,
      seats: sample(pools.storm, 1 + randomInt(random, 2), random),
    };
    const body = { seatIds: op.seats };
    return {
      op,
      method: 'POST',
      path: `/api/events/${eventId}/holds`,
      token: ring.token(session),
      body,
    };
  }

  done(op: StormOp, status: number): void {
    if (op.kind === 'hold') {
      if (status !== 201) return this.ring.free(op.session);
      this.releasesLeft.set(op.session, op.seats.length);
      for (const seatId of op.seats) {
        const w = { session: op.session, seatId, from: performance.now() };
        this.wins.push(w);
        this.holding.set(pairKey(op.session, seatId), w);
      }
      return;
    }
    if (status !== 204) this.lostReleases++;
    const left = (this.releasesLeft.get(op.session) ?? 1) - 1;
    this.releasesLeft.set(op.session, left);
    if (left <= 0) this.ring.free(op.session);
  }

  /** The holds still held own their seats to the end. */
  closeWindows(): void {
    for (const w of this.holding.values()) {
      this.windows.push({
        seatId: w.seatId,
        owner: this.ring.sessionId(w.session),
        from: w.from,
        to: Infinity,
      });
    }
  }
}

interface StormMeasured {
  m: Measured<StormOp>;
  samples: SampleSummary;
  atRest: Violation[];
}

/** The storm under the sampler, then the store at rest against what the bench saw. */
async function measureStorm(ctx: BenchContext, plan: StormPlan): Promise<StormMeasured> {
  const { eventId, pools } = ctx.stadium;
  const sampler = startSampler(ctx.checker, eventId, pools.storm);
  const m = await measure<StormOp>(ctx, plan.spec());
  const samples = await sampler.stop();

  await sleep(500);
  const unanswered = new Set(
    m.load.unanswered.flatMap((op) => op.seats.map((s) => pairKey(op.session, s))),
  );
  const atRest = await checkAtRest(
    ctx.checker,
    eventId,
    pools.storm,
    plan.holding,
    unanswered,
    plan.ring,
  );
  return { m, samples, atRest };
}

function judge(
  ctx: BenchContext,
  plan: StormPlan,
  { m, samples, atRest }: StormMeasured,
  released: number,
): ScenarioResult {
  const { eventId } = ctx.stadium;
  plan.closeWindows();
  const violations: Violation[] = [
    ...samples.violations,
    ...checkOwnershipWindows(eventId, plan.windows),
    ...atRest,
  ];
  if (plan.lostReleases > 0) {
    violations.push({
      invariant: 'lost-hold',
      eventId,
      detail: `${plan.lostReleases} releases of confirmed holds failed`,
    });
  }
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
      wins: plan.windows.length,
      refused: classes.refused,
      serverErrors: classes.serverErrors,
      unexpectedStatuses: classes.unexpected,
      samples: samples.count,
      meanSeatsHeldPerSample: samples.count > 0 ? round(samples.held / samples.count, 1) : null,
      releasedAfter: released,
    },
  };
}

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

/** Leaves the storm seats free for whatever runs next; how many it released. */
async function releaseAll(
  server: ApiTarget,
  eventId: string,
  left: Win[],
  ring: SessionRing,
): Promise<number> {
  const { results } = await mapLimit(left, 8, Date.now() + 10_000, async (w) => {
    const api = clientOf(server, { token: ring.token(w.session) });
    return !((await orRefusal(api.release(eventId, w.seatId))) instanceof ApiError);
  });
  return results.filter((ok) => ok === true).length;
}
