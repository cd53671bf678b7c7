// The whole machine's CPU time from /proc/stat: over a run, how much of the 2 shared cores was
// busy at all, so that what the server, Redis and the load generator used can be set against it
// (the rest went to other work on the machine).
import { readFileSync } from 'node:fs';
import { clockTicks } from './server.js';

export interface MachineCpu {
  /** CPU time spent busy (user, nice, system, irq, softirq, steal), all cores, in ms. */
  busyMs: number;
  /** Busy plus idle and iowait, all cores, in ms. */
  totalMs: number;
}

const TICKS = clockTicks();

/** The machine's CPU times so far; undefined where /proc/stat cannot be read. */
export function machineCpu(): MachineCpu | undefined {
  let line: string | undefined;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  } catch {
    return undefined;
  }
  return parseCpuLine(line ?? '', TICKS);
}

/** The aggregate `cpu` line of /proc/stat, in ms. */
export function parseCpuLine(line: string, ticksPerSecond: number): MachineCpu | undefined {
  const fields = line.trim().split(/\s+/);
  if (fields[0] !== 'cpu') return undefined;
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const v = fields.slice(1, 9).map(Number);
  if (v.length < 8 || v.some((x) => !Number.isFinite(x))) return undefined;
  const at = (i: number): number => v[i] ?? 0;
  const busy = at(0) + at(1) + at(2) + at(5) + at(6) + at(7);
  const total = busy + at(3) + at(4);
  const ms = (ticks: number): number => (ticks * 1000) / ticksPerSecond;
  return { busyMs: ms(busy), totalMs: ms(total) };
}

/** The difference of two readings; undefined if either is. */
export function machineCpuSince(
  before: MachineCpu | undefined,
  after: MachineCpu | undefined,
): MachineCpu | undefined {
  if (before === undefined || after === undefined) return undefined;
  return { busyMs: after.busyMs - before.busyMs, totalMs: after.totalMs - before.totalMs };
}
