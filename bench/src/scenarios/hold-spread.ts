// hold-spread: 10,000 sessions holding and releasing random seats of the 100,000-seat stadium,
// with real tokens and real validation: each hold is one random seat for a random session, and
// each confirmed hold is released ~1,000 holds later, so the per-session cap never limits it.
import type { Violation } from '../invariants.js';
import { runLoad, type LoadResult, type LoadSpec, type Planned } from '../load.js';
import {
  holdTargets,
  latencyOf,
  measure,
  runDetails,
  statusClasses,
  type BenchContext,
  type Scenario,
} from '../scenario.js';
import { SessionRing } from '../sessions.js';
import { Fifo, randomInt, round, seededRandom } from '../util.js';

export interface HoldOp {
  kind: 'hold' | 'release';
  session: number;
  seatId: string;
}

/**
 * Confirmed holds waiting for their release. Once this many are held, holds and releases
 * alternate; small enough that even a slow 3-second run spends most of its time alternating.
 */
const MAX_OUTSTANDING = 1_000;

const WARMUP = { requests: 10_000, seconds: 3 };
const WARMUP_QUICK = { requests: 2_000, seconds: 1 };

export const holdSpread: Scenario = {
  name: 'hold-spread',
  summary: 'random 1-seat holds and releases over the stadium by 10,000 sessions',
  async run(ctx) {
    const plan = new HoldSpreadPlan(ctx, 1);
    // Warm-up first, not measured, as the ceiling gets: the JIT has seen the routes and the
    // stadium's catalog entry is loaded (measured cold, the first seconds cost twice the CPU).
    const { requests, seconds } = ctx.quick ? WARMUP_QUICK : WARMUP;
    await runLoad(plan.spec(ctx.server.url, seconds, requests));
    const m = await measure<HoldOp>(ctx, plan.spec(ctx.server.url, ctx.durationS));
    const classes = statusClasses(m.load, [201, 204], [409, 422]);
    return {
      name: 'hold-spread',
      throughput: { value: round(m.rps, 0), unit: 'req/s' },
      p50Ms: m.p50Ms,
      p99Ms: m.p99Ms,
      errors: classes.errors,
      targets: holdTargets(ctx, m),
      violations: plan.lostHolds(),
      details: {
        ...runDetails(m),
        ...holdReleaseSplit(m.load),
        refused: classes.refused,
        serverErrors: classes.serverErrors,
        unexpectedStatuses: classes.unexpected,
        holdsLeftHeld: plan.held,
      },
    };
  },
};

/**
 * The request mix of hold-spread, which the replicas scenario plays too: each request is a hold
 * of one random seat of the spread pool by a random session, or, once MAX_OUTSTANDING holds are
 * confirmed, the release of the oldest one. One plan can drive several runs in a row (and several
 * URLs at once): a hold confirmed in one run is released in the next.
 */
export class HoldSpreadPlan {
  private readonly ring: SessionRing;
  private readonly random: () => number;
  private readonly outstanding = new Fifo<HoldOp>();
  private readonly depth: number;
  private failedReleases: number[] = [];
  /** Session and seat pairs with a hold in flight, held, or a release in flight. */
  private readonly busy = new Set<string>();

  constructor(
    private readonly ctx: BenchContext,
    seed: number,
  ) {
    this.ring = new SessionRing(ctx.sessions);
    this.random = seededRandom(seed);
    this.depth = Math.min(MAX_OUTSTANDING, Math.floor(ctx.sessions.length / 2));
  }

  /** Confirmed holds not released yet. */
  get held(): number {
    return this.outstanding.length;
  }

  /** A run of this plan against one URL or split over several, for durationS seconds (or until
   *  maxRequests are planned). */
  spec(
    url: string | readonly string[],
    durationS: number,
    maxRequests = 5_000_000,
  ): LoadSpec<HoldOp> {
    return {
      url,
      connections: this.ctx.connections,
      durationS,
      maxRequests,
      next: () => this.next(),
      done: (op, status) => this.done(op, status),
      kind: (op) => op.kind,
    };
  }

  next(): Planned<HoldOp> {
    const { eventId, pools } = this.ctx.stadium;
    const held = this.outstanding.length >= this.depth ? this.outstanding.shift() : undefined;
    if (held !== undefined) {
      const op: HoldOp = { ...held, kind: 'release' };
      const path = `/api/events/${eventId}/holds/${encodeURIComponent(op.seatId)}`;
      return { op, method: 'DELETE', path, token: this.ring.token(op.session) };
    }
    const session = randomInt(this.random, this.ctx.sessions.length);
    let seatId = '';
    // A seat this session is already busy with would be held twice and released twice (the
    // second release a false 404): draw another.
    do seatId = pools.spread[randomInt(this.random, pools.spread.length)] ?? '';
    while (this.busy.has(pairKey(session, seatId)));
    this.busy.add(pairKey(session, seatId));
    const op: HoldOp = { kind: 'hold', session, seatId };
    const path = `/api/events/${eventId}/holds`;
    const body = { seatIds: [seatId] };
    return { op, method: 'POST', path, token: this.ring.token(session), body };
  }

  done(op: HoldOp, status: number): void {
    if (op.kind === 'hold' && status === 201) return this.outstanding.push(op);
    this.busy.delete(pairKey(op.session, op.seatId));
    if (op.kind === 'release' && status !== 204) this.failedReleases.push(status);
  }

  /**
   * The lost holds since the last call: a release of a hold this bench saw confirmed can only
   * fail if the hold was lost or taken (the TTL is hours, the run seconds).
   */
  lostHolds(): Violation[] {
    const lost = this.failedReleases.filter((s) => s === 403 || s === 404).length;
    this.failedReleases = [];
    if (lost === 0) return [];
    return [
      {
        invariant: 'lost-hold',
        eventId: this.ctx.stadium.eventId,
        detail: `${lost} releases of confirmed holds answered 403/404`,
      },
    ];
  }
}

function pairKey(session: number, seatId: string): string {
  return `${session} ${seatId}`;
}

/** Holds and releases counted apart, with their own p50 and p99. */
export function holdReleaseSplit(load: LoadResult<HoldOp>): Record<string, unknown> {
  const hold = latencyOf(load, 'hold');
  const release = latencyOf(load, 'release');
  return {
    holds: load.latencies.get('hold')?.length ?? 0,
    releases: load.latencies.get('release')?.length ?? 0,
    holdP50Ms: hold.p50,
    holdP99Ms: hold.p99,
    releaseP50Ms: release.p50,
    releaseP99Ms: release.p99,
  };
}
