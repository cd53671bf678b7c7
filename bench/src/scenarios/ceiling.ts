// ceiling: GET /health on the same server build, 100 connections. Every throughput and CPU
// target of the other scenarios is a ratio to this run, because absolute numbers drift on a
// shared machine.
import { runLoad, type LoadSpec } from '../load.js';
import {
  measure,
  runDetails,
  statusClasses,
  type BenchContext,
  type Scenario,
} from '../scenario.js';
import { round } from '../util.js';

export const ceiling: Scenario = {
  name: 'ceiling',
  summary: 'GET /health throughput and server CPU per request: the reference of every ratio',
  async run(ctx) {
    // A second of warm-up first, not measured, so the JIT has seen the route.
    await runLoad({ ...health(ctx), durationS: 1 });
    const m = await measure(ctx, health(ctx));
    const classes = statusClasses(m.load, [200], []);
    return {
      name: 'ceiling',
      throughput: { value: round(m.rps, 0), unit: 'req/s' },
      p50Ms: m.p50Ms,
      p99Ms: m.p99Ms,
      errors: classes.errors,
      targets: [
        {
          label: 'reference',
          measured: `${round(m.cpuUsPerRequest ?? 0, 1)} µs CPU/req`,
          pass: null,
        },
      ],
      violations: [],
      details: runDetails(m),
    };
  },
};

/**
 * The ceiling once more, after the other scenarios: how far it drifted during the run tells how
 * much the machine's other load moved the ratios (they stay relative to the first measurement).
 */
export async function remeasureCeiling(ctx: BenchContext): Promise<Record<string, number>> {
  const m = await measure(ctx, health(ctx));
  const before = ctx.results.get('ceiling');
  const rpsBefore = before?.throughput.value ?? 0;
  const cpuBefore = before?.details.cpuUsPerRequest;
  return {
    rps: round(m.rps, 0),
    cpuUsPerRequest: round(m.cpuUsPerRequest ?? 0, 1),
    rpsChange: rpsBefore > 0 ? round(m.rps / rpsBefore - 1, 3) : 0,
    cpuChange:
      typeof cpuBefore === 'number' && cpuBefore > 0
        ? round((m.cpuUsPerRequest ?? 0) / cpuBefore - 1, 3)
        : 0,
  };
}

function health(ctx: BenchContext): LoadSpec<object> {
  return {
    url: ctx.server.url,
    connections: ctx.connections,
    durationS: ctx.durationS,
    maxRequests: 5_000_000,
    next: () => ({ op: {}, method: 'GET', path: '/health' }),
    done: () => undefined,
  };
}
