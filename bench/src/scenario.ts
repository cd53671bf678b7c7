// What a scenario is and what it returns, and the measurements every load scenario shares:
// server CPU around a run, latency percentiles, status classes, and the targets of the issue.
import { cpus } from 'node:os';
import type { SessionCreated } from '@ticketmain/client';
import type { InvariantChecker, Violation } from './invariants.js';
import { allLatencies, concatLoads, runLoad, type LoadResult, type LoadSpec } from './load.js';
import { machineCpu, machineCpuSince, type MachineCpu } from './machine.js';
import type { ServerProcess } from './server.js';
import type { StadiumEvent } from './stadium.js';
import type { Stores } from './stores.js';
import { percentile, round, sortedCopy } from './util.js';

export interface BenchContext {
  quick: boolean;
  durationS: number;
  connections: number;
  server: ServerProcess;
  stores: Stores;
  checker: InvariantChecker;
  stadium: StadiumEvent;
  sessions: readonly SessionCreated[];
  /** Results of the scenarios already run (the ceiling, for the ratios). */
  results: ReadonlyMap<string, ScenarioResult>;
  log(line: string): void;
}

export interface Scenario {
  name: string;
  /** One line for --help and the report. */
  summary: string;
  /** One row of the table, or several (fanout has one per number of subscribers). */
  run(ctx: BenchContext): Promise<ScenarioResult | ScenarioResult[]>;
}

export interface Target {
  label: string;
  /** What was measured, as shown in the table. */
  measured: string;
  /** null: not judged (--quick, or what it is a ratio to is missing). */
  pass: boolean | null;
}

export interface ScenarioResult {
  name: string;
  throughput: { value: number; unit: string };
  p50Ms: number | null;
  p99Ms: number | null;
  /** 5xx, unexpected statuses, socket errors and timeouts. */
  errors: number;
  targets: Target[];
  /** Broken invariants, from the scenario itself and the checker after it. */
  violations: Violation[];
  details: Record<string, unknown>;
}

/** A load run with what it cost the server. */
export interface Measured<Op extends object> {
  load: LoadResult<Op>;
  rps: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** CPU time of the server processes measured (summed). */
  serverCpuMs: number;
  /** The same, per server process, in the order given. */
  serverCpuMsEach: number[];
  /** Server CPU time per response, in µs. */
  cpuUsPerRequest: number | null;
  /** Redis CPU over the run (shared instance: includes whatever else it served). */
  redisCpuMs: number;
  /** CPU of this process (the load generator) over the run: on 2 cores it competes. */
  benchCpuMs: number;
  /** The whole machine's CPU over the run (all of its users); undefined without /proc/stat. */
  machine: MachineCpu | undefined;
}

/**
 * Runs the load and measures what it cost: `servers` are the server processes whose CPU counts
 * (by default the bench's one server; the replicas of a run that spreads its load over several).
 */
export async function measure<Op extends object>(
  ctx: BenchContext,
  spec: LoadSpec<Op>,
  servers: readonly ServerProcess[] = [ctx.server],
): Promise<Measured<Op>> {
  const cpuBefore = servers.map((s) => s.cpuMs());
  const redisBefore = await ctx.stores.redisCpuMs();
  const benchBefore = process.cpuUsage();
  const machineBefore = machineCpu();
  const load = await runLoad(spec);
  const machine = machineCpuSince(machineBefore, machineCpu());
  const serverCpuMsEach = servers.map((s, i) => s.cpuMs() - (cpuBefore[i] ?? 0));
  const serverCpuMs = serverCpuMsEach.reduce((a, b) => a + b, 0);
  const bench = process.cpuUsage(benchBefore);
  const redisCpuMs = (await ctx.stores.redisCpuMs()) - redisBefore;
  for (const server of servers) if (!server.alive) throw server.crashed('died during the run');
  return {
    ...rates(load, serverCpuMs),
    serverCpuMsEach,
    redisCpuMs,
    benchCpuMs: (bench.user + bench.system) / 1000,
    machine,
  };
}

/**
 * Runs measured one after the other (slices of one configuration, interleaved with others), as
 * one: CPU times and requests add up, the percentiles are of all their latencies.
 */
export function pooled<Op extends object>(runs: ReadonlyArray<Measured<Op>>): Measured<Op> {
  const load = concatLoads(runs.map((r) => r.load));
  const sum = (pick: (r: Measured<Op>) => number): number => runs.reduce((n, r) => n + pick(r), 0);
  const serverCpuMs = sum((r) => r.serverCpuMs);
  const width = Math.max(0, ...runs.map((r) => r.serverCpuMsEach.length));
  const machines = runs.map((r) => r.machine);
  return {
    ...rates(load, serverCpuMs),
    serverCpuMsEach: Array.from({ length: width }, (_, i) => sum((r) => r.serverCpuMsEach[i] ?? 0)),
    redisCpuMs: sum((r) => r.redisCpuMs),
    benchCpuMs: sum((r) => r.benchCpuMs),
    machine: machines.every((m) => m !== undefined)
      ? {
          busyMs: machines.reduce((n, m) => n + m.busyMs, 0),
          totalMs: machines.reduce((n, m) => n + m.totalMs, 0),
        }
      : undefined,
  };
}

/** Throughput, latency percentiles and server CPU per request of a load. */
function rates<Op extends object>(load: LoadResult<Op>, serverCpuMs: number) {
  const sorted = sortedCopy(allLatencies(load));
  return {
    load,
    rps: load.elapsedS > 0 ? load.responses / load.elapsedS : 0,
    p50Ms: ms(percentile(sorted, 50)),
    p99Ms: ms(percentile(sorted, 99)),
    serverCpuMs,
    cpuUsPerRequest: load.responses > 0 ? (serverCpuMs * 1000) / load.responses : null,
  };
}

/** p50 and p99 of one latency bucket of a run. */
export function latencyOf(
  load: LoadResult<object>,
  kind: string,
): { p50: number | null; p99: number | null } {
  const sorted = sortedCopy(load.latencies.get(kind) ?? []);
  return { p50: ms(percentile(sorted, 50)), p99: ms(percentile(sorted, 99)) };
}

/** Responses by class: what succeeded, what was an expected refusal, and what was an error. */
export function statusClasses(
  load: LoadResult<object>,
  success: readonly number[],
  refusals: readonly number[],
): { ok: number; refused: number; serverErrors: number; unexpected: number; errors: number } {
  let ok = 0;
  let refused = 0;
  let serverErrors = 0;
  let unexpected = 0;
  for (const [code, count] of Object.entries(load.statuses)) {
    const status = Number(code);
    if (success.includes(status)) ok += count;
    else if (refusals.includes(status)) refused += count;
    else if (status >= 500) serverErrors += count;
    else unexpected += count;
  }
  const errors = serverErrors + unexpected + load.socketErrors + load.timeouts;
  return { ok, refused, serverErrors, unexpected, errors };
}

/** The CPU ratio target and the two ratio targets of the hold scenarios (issue 5, 2 and 3). */
export function holdTargets(ctx: BenchContext, m: Measured<object>): Target[] {
  const ceiling = ctx.results.get('ceiling');
  const ceilingRps = ceiling?.throughput.value;
  const ceilingCpu = ceiling?.details.cpuUsPerRequest;
  const judge = (ok: boolean | null): boolean | null => (ctx.quick ? null : ok);
  const rpsRatio = ceilingRps ? m.rps / ceilingRps : null;
  const cpuRatio =
    typeof ceilingCpu === 'number' && ceilingCpu > 0 && m.cpuUsPerRequest !== null
      ? m.cpuUsPerRequest / ceilingCpu
      : null;
  return [
    {
      label: 'throughput ≥ 0.5 × ceiling',
      measured: rpsRatio === null ? 'no ceiling' : `${rpsRatio.toFixed(2)} ×`,
      pass: judge(rpsRatio === null ? null : rpsRatio >= 0.5),
    },
    {
      label: 'CPU/req ≤ 2.0 × ceiling',
      measured: cpuRatio === null ? 'no ceiling' : `${cpuRatio.toFixed(2)} ×`,
      pass: judge(cpuRatio === null ? null : cpuRatio <= 2.0),
    },
    p99Target(ctx, m.p99Ms, 20),
  ];
}

export function p99Target(ctx: BenchContext, p99Ms: number | null, limitMs: number): Target {
  return {
    label: `p99 ≤ ${limitMs} ms`,
    measured: p99Ms === null ? 'no data' : `${round(p99Ms, 1)} ms`,
    pass: ctx.quick || p99Ms === null ? null : p99Ms <= limitMs,
  };
}

/** The figures of a run that every load scenario puts in its details. */
export function runDetails(m: Measured<object>): Record<string, unknown> {
  return {
    elapsedS: round(m.load.elapsedS, 2),
    responses: m.load.responses,
    statuses: m.load.statuses,
    socketErrors: m.load.socketErrors,
    timeouts: m.load.timeouts,
    unanswered: m.load.unanswered.length,
    endedEarly: m.load.endedEarly,
    serverCpuMs: round(m.serverCpuMs, 0),
    cpuUsPerRequest: m.cpuUsPerRequest === null ? null : round(m.cpuUsPerRequest, 1),
    redisCpuMsShared: round(m.redisCpuMs, 0),
    benchCpuMs: round(m.benchCpuMs, 0),
    // How many of the machine's cores were busy on average, whoever used them.
    machineBusyCores: busyCores(m.machine),
  };
}

/** How many of the machine's cores were busy on average over a reading's window. */
export function busyCores(machine: MachineCpu | undefined): number | null {
  if (machine === undefined || machine.totalMs <= 0) return null;
  return round((machine.busyMs / machine.totalMs) * cpus().length, 2);
}

/** A latency rounded to 10 µs, which is finer than the bench can tell apart anyway. */
function ms(value: number | null): number | null {
  return value === null ? null : round(value, 2);
}
