// The bench's output: one table (scenario, throughput, p50, p99, errors, the load average when it
// started, target, pass/fail) with a line per target and one for the invariants, the broken
// invariants spelled out, and the same results as JSON in bench/results/.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioResult } from './scenario.js';
import { round } from './util.js';

export interface RunInfo {
  startedAt: string;
  quick: boolean;
  strict: boolean;
  durationS: number;
  connections: number;
  sessions: number;
  node: string;
  cpus: number;
  loadAverage: number[];
  commit: string | undefined;
  serverLog: string;
}

export interface Summary {
  invariantsOk: boolean;
  targetsPassed: number;
  targetsFailed: number;
  targetsNotJudged: number;
}

export function summarise(results: readonly ScenarioResult[]): Summary {
  const targets = results.flatMap((r) => r.targets);
  return {
    invariantsOk: results.every((r) => r.violations.length === 0),
    targetsPassed: targets.filter((t) => t.pass === true).length,
    targetsFailed: targets.filter((t) => t.pass === false).length,
    targetsNotJudged: targets.filter((t) => t.pass === null).length,
  };
}

const HEADER = [
  'scenario',
  'throughput',
  'p50',
  'p99',
  'errors',
  'load',
  'target',
  'measured',
  'result',
];

export function formatTable(results: readonly ScenarioResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    const stats = [
      r.name,
      `${r.throughput.value.toLocaleString('en-US')} ${r.throughput.unit}`,
      ms(r.p50Ms),
      ms(r.p99Ms),
      String(r.errors),
      load(r),
    ];
    const blank = stats.map(() => '');
    r.targets.forEach((t, i) => {
      rows.push([...(i === 0 ? stats : blank), t.label, t.measured, verdict(t.pass)]);
    });
    const broken = r.violations.length;
    rows.push([
      ...(r.targets.length === 0 ? stats : blank),
      'invariants',
      broken === 0 ? 'ok' : `${broken} broken`,
      broken === 0 ? 'pass' : 'FAIL',
    ]);
  }
  const widths = HEADER.map((h, c) =>
    Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(HEADER), rule, ...rows.map(line)].join('\n');
}

/** The broken invariants, one line each with a few of the seats concerned. */
export function formatViolations(results: readonly ScenarioResult[]): string {
  const lines = results.flatMap((r) =>
    r.violations.map(
      (v) =>
        `  ${r.name}: ${v.invariant}${v.eventId ? ` (${v.eventId})` : ''}: ${v.detail}` +
        (v.seats?.length ? `, e.g. ${v.seats.slice(0, 5).join(', ')}` : ''),
    ),
  );
  return lines.length === 0 ? '' : `Broken invariants:\n${lines.join('\n')}`;
}

export function formatSummary(summary: Summary, quick: boolean): string {
  const invariants = summary.invariantsOk ? 'all invariants hold' : 'INVARIANTS BROKEN';
  if (quick) return `${invariants}; speed targets not judged (--quick).`;
  return (
    `${invariants}; targets: ${summary.targetsPassed} passed, ${summary.targetsFailed} FAILED` +
    (summary.targetsNotJudged > 0 ? `, ${summary.targetsNotJudged} not judged` : '') +
    '.'
  );
}

export async function writeJson(
  dir: string,
  info: RunInfo,
  results: readonly ScenarioResult[],
  summary: Summary,
  exitCode: number,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  // An ISO timestamp without colons: one file per run, sortable, safe on every file system.
  const file = join(dir, `${info.startedAt.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.json`);
  const body = { ...info, summary, exitCode, scenarios: results };
  await writeFile(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}

/** The progress line printed when a scenario ends. */
export function progressLine(index: number, total: number, r: ScenarioResult): string {
  const invariants =
    r.violations.length === 0 ? 'invariants ok' : `${r.violations.length} INVARIANTS BROKEN`;
  return (
    `[${index}/${total}] ${r.name}: ${r.throughput.value.toLocaleString('en-US')} ${r.throughput.unit}, ` +
    `p50 ${ms(r.p50Ms)}, p99 ${ms(r.p99Ms)}, errors ${r.errors}, ${invariants}`
  );
}

function ms(value: number | null): string {
  return value === null ? '-' : `${round(value, value < 10 ? 2 : 1)} ms`;
}

/** The 1-minute load average when the scenario started: 2 shared cores, so it matters. */
function load(r: ScenarioResult): string {
  const at = r.details.loadAverageAtStart;
  return Array.isArray(at) && typeof at[0] === 'number' ? at[0].toFixed(1) : '';
}

function verdict(pass: boolean | null): string {
  if (pass === null) return '-';
  return pass ? 'pass' : 'FAIL';
}
