// Where the CPU of a measured run went, for the scenarios that compare configurations on the
// 2 shared cores: the servers, this process (the load generator), Redis and everything else on
// the machine, in cores and per request; and the context switches of the servers' event loops.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { usPerRequest } from './capacity.js';
import { busyCores, type Measured } from './scenario.js';
import type { ServerProcess } from './server.js';
import { round } from './util.js';

/** Where the machine's CPU went over a run, in cores (averaged over the run). */
export interface Cores {
  servers: number;
  loadGenerator: number;
  redis: number;
  /** Every other process on the machine: other sessions' work, Postgres, the kernel's rest. */
  other: number | null;
  machine: number | null;
}

export function cores(m: Measured<object>): Cores {
  const per = (cpuMs: number): number =>
    m.load.elapsedS > 0 ? round(cpuMs / 1000 / m.load.elapsedS, 2) : 0;
  const servers = per(m.serverCpuMs);
  const loadGenerator = per(m.benchCpuMs);
  const redis = per(m.redisCpuMs);
  const machine = busyCores(m.machine);
  const other = machine === null ? null : round(machine - servers - loadGenerator - redis, 2);
  return { servers, loadGenerator, redis, other, machine };
}

/** The cores as one cell of the table: servers/bench/Redis/other (busy in all). */
export function formatCores(c: Cores): string {
  const other = c.other === null ? '?' : Math.max(0, c.other).toFixed(2);
  const machine = c.machine === null ? '?' : c.machine.toFixed(2);
  return (
    `${c.servers.toFixed(2)}/${c.loadGenerator.toFixed(2)}/${c.redis.toFixed(2)}/${other}` +
    ` (${machine} busy)`
  );
}

/**
 * Every request's CPU by where it went, in µs: the servers, the load generator, Redis, and the
 * whole machine; and the request rate the first three would saturate the machine's cores at if
 * nothing else ran (on 2 cores, the ceiling of any number of replicas driven from this machine).
 */
export function cpuPerRequestBy(m: Measured<object>): Record<string, number | null> {
  const n = m.load.responses;
  const servers = usPerRequest(m.serverCpuMs, n);
  const loadGenerator = usPerRequest(m.benchCpuMs, n);
  const redis = usPerRequest(m.redisCpuMs, n);
  const machine = m.machine === undefined ? null : usPerRequest(m.machine.busyMs, n);
  const ours = (servers ?? 0) + (loadGenerator ?? 0) + (redis ?? 0);
  const r = (v: number | null): number | null => (v === null ? null : round(v, 1));
  return {
    servers: r(servers),
    loadGenerator: r(loadGenerator),
    redis: r(redis),
    machine: r(machine),
    machineCeilingRps: ours > 0 ? round((cpus().length * 1e6) / ours, 0) : null,
  };
}

/**
 * Context switches of the servers' main (event-loop) threads, from /proc/<pid>/status:
 * voluntary ones are wake-ups (fewer per request when each wake-up finds more work waiting),
 * involuntary ones are preemptions (CPU contention).
 */
export interface Switches {
  voluntary: number;
  involuntary: number;
}

export function contextSwitches(servers: readonly ServerProcess[]): Switches {
  const total: Switches = { voluntary: 0, involuntary: 0 };
  for (const server of servers) {
    let status = '';
    try {
      status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    } catch {
      continue;
    }
    total.voluntary += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    total.involuntary += Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  }
  return total;
}

export function switchesSince(before: Switches, after: Switches): Switches {
  return {
    voluntary: after.voluntary - before.voluntary,
    involuntary: after.involuntary - before.involuntary,
  };
}
