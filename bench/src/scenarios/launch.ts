// launch: a full on-sale of the 900-seat arena (reset first). 5,000 buyers (--quick: 1,000) in the
// subscriber process each subscribe over WebSocket, take the snapshot, hold 1–4 seats (half pick
// them from what they see as available and retry on 409, half ask for best available), and buy;
// until sold out or the time bound. Reports the time to sell
// out, orders/s, conflicts and the fan-out latency; checks that the 900 seats were sold once
// each, that every 201 order is in the ledger, and that every buyer's final view equals it.
import { loadavg } from 'node:os';
import { ARENA_EVENT_ID, arenaSeatIds, resetArena } from '../arena.js';
import { diffView, type InvariantChecker, type Violation } from '../invariants.js';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.js';
import { LatencyHistogram } from '../subscribers/histogram.js';
import { SubscriberProcess } from '../subscribers/process.js';
import type { LaunchReply } from '../subscribers/protocol.js';
import { round } from '../util.js';

const BUYERS = 5_000;
const QUICK_BUYERS = 1_000;
const HTTP_CONNECTIONS = 64;
const BOUND_S = 90;
const QUICK_BOUND_S = 45;
const SETTLE_MS = 10_000;

export const launch: Scenario = {
  name: 'launch',
  summary: '5,000 WebSocket buyers (half by best available) sell out the 900-seat arena',
  async run(ctx) {
    const measured = await measureLaunch(ctx);
    const violations = await check(ctx.checker, measured.seatCount, measured.r);
    return judge(measured, violations);
  },
};

/** What a launch measured: the buyers' reply and what the server spent on it. */
interface Launched {
  r: LaunchReply;
  seatCount: number;
  boundS: number;
  /** The 1-minute load average when it started. */
  load: number;
  serverCpuMs: number;
}

/** Resets the arena and lets the buyers sell it out (or run into the time bound). */
async function measureLaunch(ctx: BenchContext): Promise<Launched> {
  await resetArena(ctx.server);
  const seatIds = await arenaSeatIds(ctx.server);
  const buyers = Math.min(ctx.quick ? QUICK_BUYERS : BUYERS, ctx.sessions.length);
  const boundS = ctx.quick ? QUICK_BOUND_S : BOUND_S;
  const load = loadavg()[0] ?? 0;
  const subscribers = await SubscriberProcess.start(buyers + 1_000);
  const cpuBefore = ctx.server.cpuMs();
  let r: LaunchReply;
  try {
    r = await subscribers.run(
      {
        type: 'launch',
        url: ctx.server.url,
        eventId: ARENA_EVENT_ID,
        seatIds,
        tokens: ctx.sessions.slice(0, buyers).map((s) => s.token),
        connectConcurrency: 100,
        httpConnections: HTTP_CONNECTIONS,
        durationS: boundS,
        settleMs: SETTLE_MS,
        seed: 4,
      },
      (boundS + 120) * 1000 + SETTLE_MS,
    );
  } finally {
    await subscribers.stop();
  }
  const serverCpuMs = ctx.server.cpuMs() - cpuBefore;
  return { r, seatCount: seatIds.length, boundS, load, serverCpuMs };
}

function judge(launched: Launched, violations: Violation[]): ScenarioResult {
  const { r, boundS } = launched;
  const fanout = new LatencyHistogram(r.fanoutLatency);
  const sellOutS = r.sellOutMs === null ? null : r.sellOutMs / 1000;
  const ordersPerS = sellOutS ? r.orders.length / sellOutS : 0;
  const conflicts = r.holdConflicts + r.bestNoSeats + r.orderConflicts;
  return {
    name: 'launch',
    throughput: { value: round(ordersPerS, 0), unit: 'orders/s' },
    p50Ms: fanout.percentile(50),
    p99Ms: fanout.percentile(99),
    errors: r.errors + (r.buyers - r.connected),
    targets: [
      {
        label: `sold out (bound ${boundS} s)`,
        measured:
          sellOutS === null
            ? `NOT sold out: ${r.orders.length} orders`
            : `${round(sellOutS, 2)} s, ${r.orders.length} orders, ${conflicts.toLocaleString('en-US')} × 409` +
              ` (${r.bestNoSeats.toLocaleString('en-US')} best-available NO_SEATS)`,
        pass: null,
      },
    ],
    violations,
    details: launchDetails(launched, fanout, sellOutS),
  };
}

function launchDetails(
  { r, load, serverCpuMs }: Launched,
  fanout: LatencyHistogram,
  sellOutS: number | null,
): Record<string, unknown> {
  const hold = new LatencyHistogram(r.holdLatency);
  const order = new LatencyHistogram(r.orderLatency);
  return {
    loadAverage1m: round(load, 2),
    buyers: r.buyers,
    connected: r.connected,
    connectFailures: r.connectFailures,
    connectSeconds: round(r.connectMs / 1000, 1),
    sellOutSeconds: sellOutS === null ? null : round(sellOutS, 2),
    buyingSeconds: round(r.buyingMs / 1000, 2),
    orders: r.orders.length,
    seatsSold: r.orders.reduce((n, o) => n + o.seatIds.length, 0),
    holdAttempts: r.holdAttempts,
    holdConflicts: r.holdConflicts,
    bestHolds: r.bestHolds,
    bestNoSeats: r.bestNoSeats,
    orderConflicts: r.orderConflicts,
    releasesAfterFailedOrder: r.releases,
    statuses: r.statuses,
    errorSamples: r.errorSamples,
    latencyColumns: 'fan-out, change to buyer (every frame at every buyer)',
    fanoutFrames: r.frames,
    fanoutP90Ms: fanout.percentile(90),
    fanoutMaxMs: fanout.max(),
    holdHttpP50Ms: hold.percentile(50),
    holdHttpP99Ms: hold.percentile(99),
    orderHttpP50Ms: order.percentile(50),
    orderHttpP99Ms: order.percentile(99),
    httpConnections: HTTP_CONNECTIONS,
    gaps: r.gaps,
    resyncs: r.resyncs,
    distinctFinalViews: r.distinctViews,
    viewsSoldOut: r.viewsSoldOut,
    serverCpuMs: round(serverCpuMs, 0),
    buyersCpuMs: round(r.cpuMs, 0),
    buyersOpenFilesLimit: r.fdLimit,
  };
}

async function check(
  checker: InvariantChecker,
  seatCount: number,
  r: LaunchReply,
): Promise<Violation[]> {
  const found: Violation[] = [];
  const ledger = await checker.ledgerSold(ARENA_EVENT_ID);
  const inOrders = r.orders.flatMap((o) => o.seatIds);
  const distinct = new Set(inOrders);
  if (ledger.size !== seatCount || inOrders.length !== seatCount || distinct.size !== seatCount) {
    found.push({
      invariant: 'sold-count',
      eventId: ARENA_EVENT_ID,
      detail:
        `${seatCount} seats: the ledger has ${ledger.size} sold, the 201 orders hold ` +
        `${inOrders.length} seats (${distinct.size} distinct)`,
    });
  }
  found.push(...(await checker.checkLedger(ARENA_EVENT_ID)));
  found.push(
    ...(await checker.checkAcknowledgedOrders(
      r.orders.map((o) => ({ ...o, eventId: ARENA_EVENT_ID })),
    )),
  );
  if (r.gaps > 0) {
    found.push({
      invariant: 'missed-change',
      eventId: ARENA_EVENT_ID,
      detail: `${r.gaps} frames at buyers did not follow on from the last seq seen`,
    });
  }
  const truth = await checker.readTruth(ARENA_EVENT_ID);
  for (const view of r.views) {
    found.push(...diffView(view, truth, `the final view of ${view.buyers} buyers`));
  }
  const shown = r.views.reduce((n, v) => n + v.buyers, 0);
  if (r.distinctViews > 1) {
    found.push({
      invariant: 'view-differs',
      eventId: ARENA_EVENT_ID,
      detail:
        `buyers ended with ${r.distinctViews} different views (${r.connected - shown} ` +
        'of them in views not sent back): at most one can be the truth',
    });
  }
  return found;
}
