// hold-spread: 10,000 sessions holding and releasing random seats of the 100,000-seat stadium,
// with real tokens and real validation: each hold is one random seat for a random session, and
// each confirmed hold is released ~1,000 holds later, so the per-session cap never limits it.
import type { Violation } from '../invariants.js';
import type { LoadResult } from '../load.js';
import {
  holdTargets,
  latencyOf,
  measure,
  runDetails,
  statusClasses,
  type Scenario,
} from '../scenario.js';
import { SessionRing } from '../sessions.js';
import { Fifo, randomInt, round, seededRandom } from '../util.js';

interface HoldOp {
  kind: 'hold' | 'release';
  session: number;
  seatId: string;
}

/**
 * Confirmed holds waiting for their release. Once this many are held, holds and releases
 * alternate; small enough that even a slow 3-second run spends most of its time alternating.
 */
const MAX_OUTSTANDING = 1_000;

export const holdSpread: Scenario = {
  name: 'hold-spread',
  summary: 'random 1-seat holds and releases over the stadium by 10,000 sessions',
  async run(ctx) {
    const { eventId, pools } = ctx.stadium;
    const ring = new SessionRing(ctx.sessions);
    const random = seededRandom(1);
    const outstanding = new Fifo<HoldOp>();
    const depth = Math.min(MAX_OUTSTANDING, Math.floor(ctx.sessions.length / 2));
    const failedReleases: number[] = [];
    /** Session and seat pairs with a hold in flight, held, or a release in flight. */
    const busy = new Set<string>();

    const m = await measure<HoldOp>(ctx, {
      url: ctx.server.url,
      connections: ctx.connections,
      durationS: ctx.durationS,
      maxRequests: 5_000_000,
      next() {
        const held = outstanding.length >= depth ? outstanding.shift() : undefined;
        if (held !== undefined) {
          const op: HoldOp = { ...held, kind: 'release' };
          const path = `/api/events/${eventId}/holds/${encodeURIComponent(op.seatId)}`;
          return { op, method: 'DELETE', path, token: ring.token(op.session) };
        }
        const session = randomInt(random, ctx.sessions.length);
        let seatId = '';
        // A seat this session is already busy with would be held twice and released twice (the
        // second release a false 404): draw another.
        do seatId = pools.spread[randomInt(random, pools.spread.length)] ?? '';
        while (busy.has(pairKey(session, seatId)));
        busy.add(pairKey(session, seatId));
        const op: HoldOp = { kind: 'hold', session, seatId };
        const path = `/api/events/${eventId}/holds`;
        const body = { seatIds: [seatId] };
        return { op, method: 'POST', path, token: ring.token(session), body };
      },
      done(op, status) {
        if (op.kind === 'hold' && status === 201) return outstanding.push(op);
        busy.delete(pairKey(op.session, op.seatId));
        if (op.kind === 'release' && status !== 204) failedReleases.push(status);
      },
      kind: (op) => op.kind,
    });

    const classes = statusClasses(m.load, [201, 204], [409, 422]);
    const violations: Violation[] = [];
    // A release of a hold this bench saw confirmed can only fail if the hold was lost or taken
    // (the TTL is minutes, the run seconds).
    const lost = failedReleases.filter((s) => s === 403 || s === 404).length;
    if (lost > 0) {
      violations.push({
        invariant: 'lost-hold',
        eventId,
        detail: `${lost} releases of confirmed holds answered 403/404`,
      });
    }
    return {
      name: 'hold-spread',
      throughput: { value: round(m.rps, 0), unit: 'req/s' },
      p50Ms: m.p50Ms,
      p99Ms: m.p99Ms,
      errors: classes.errors,
      targets: holdTargets(ctx, m),
      violations,
      details: {
        ...runDetails(m),
        ...split(m.load),
        refused: classes.refused,
        serverErrors: classes.serverErrors,
        unexpectedStatuses: classes.unexpected,
        holdsLeftHeld: outstanding.length,
      },
    };
  },
};

function pairKey(session: number, seatId: string): string {
  return `${session} ${seatId}`;
}

function split(load: LoadResult<HoldOp>): Record<string, unknown> {
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
