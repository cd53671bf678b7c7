// `npm run bench [-- --quick] [-- --strict] [-- --only=a,b]`: starts a server on its own Redis
// prefix and Postgres schema, runs the scenarios, checks the invariants after each one, prints
// the table, writes bench/results/<date>.json, and removes what it created.
// Exit code: 1 if an invariant broke (or, with --strict, a target was missed), 2 if the harness
// itself failed, else 0.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ARENA_EVENT_ID } from './arena.js';
import { InvariantChecker, type Violation } from './invariants.js';
import {
  formatSummary,
  formatTable,
  formatViolations,
  progressLine,
  summarise,
  writeJson,
  type RunInfo,
} from './report.js';
import type { BenchContext, Scenario, ScenarioResult } from './scenario.js';
import { remeasureCeiling } from './scenarios/ceiling.js';
import { scenarios } from './scenarios/index.js';
import { ServerProcess } from './server.js';
import { createSessions } from './sessions.js';
import { createStadium } from './stadium.js';
import { Stores } from './stores.js';
import { sleep } from './util.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');
/** Checks at rest are retried this often, a second apart: an order in flight when the load
 *  stopped may be committed in Postgres and not yet SOLD in Redis (checkout step 3). */
const SETTLE_ATTEMPTS = 3;

const USAGE = `Usage: npm run bench [-- options]

  --quick            a few seconds per scenario; checks invariants, not speed targets
  --strict           exit 1 when a speed target is missed (default: print FAIL, exit 0)
  --only=a,b         run only these scenarios (ratios need ceiling)
  --duration=S       seconds of load per scenario (default 10, --quick 3)
  --connections=N    HTTP connections (default 100)
  --sessions=N       buyer sessions minted up front (default 10000)

Scenarios:
${scenarios.map((s) => `  ${s.name.padEnd(12)} ${s.summary}`).join('\n')}

Redis and Postgres: BENCH_REDIS_URL (default redis://127.0.0.1:6379),
BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
BENCH_SERVER_NODE_ARGS and BENCH_SUBSCRIBER_NODE_ARGS: node flags for the server and for the
subscriber process (e.g. --cpu-prof --cpu-prof-dir=DIR); BENCH_SERVER_ENV: KEY=VALUE settings
added to the server's environment; BENCH_SERVER_ENTRY runs another build of the server (default
apps/server/dist/server.js).`;

interface Options {
  quick: boolean;
  strict: boolean;
  only: string[] | undefined;
  durationS: number;
  connections: number;
  sessions: number;
}

function options(): Options | undefined {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      only: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string', default: '100' },
      sessions: { type: 'string', default: '10000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  const quick = values.quick ?? false;
  const only = values.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((name) => !scenarios.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')}`);
  return {
    quick,
    strict: values.strict ?? false,
    only,
    durationS: positive('duration', values.duration ?? (quick ? '3' : '10'), 600),
    connections: positive('connections', values.connections ?? '100', 1_000),
    sessions: positive('sessions', values.sessions ?? '10000', 100_000),
  };
}

function positive(name: string, raw: string, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`--${name} must be an integer from 1 to ${max}, not ${raw}`);
  }
  return value;
}

/** What one run works on: its id, its own Redis prefix and Postgres schema, and its server. */
interface RunPlan {
  startedAt: string;
  runId: string;
  serverLog: string;
  stores: Stores;
  server: ServerProcess;
}

async function main(): Promise<number> {
  const opts = options();
  if (opts === undefined) {
    console.log(USAGE);
    return 0;
  }
  const run = plan();
  const { server, stores } = run;
  const cleanup = once(() => tearDown(server, stores));
  const interrupt = (): void => {
    console.error('\ninterrupted: stopping the server and removing the bench data');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  try {
    // The scenarios read the results so far (the ceiling, for the ratios); only measureAll writes.
    const results = new Map<string, ScenarioResult>();
    const ctx = await prepare(run, opts, results);
    const selected = scenarios.filter((s) => opts.only === undefined || opts.only.includes(s.name));
    await measureAll(ctx, selected, results);
    return await judge(run, opts, ctx.sessions.length, [...results.values()]);
  } finally {
    await cleanup();
  }
}

function plan(): RunPlan {
  const startedAt = new Date().toISOString();
  const runId = `${startedAt.replace(/\D/g, '').slice(0, 14)}_${randomBytes(3).toString('hex')}`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const serverLog = join(
    RESULTS_DIR,
    `${startedAt.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}-server.log`,
  );
  const stores = new Stores({
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    schema: `bench_${runId}`,
    keyPrefix: `bench:${runId}:`,
  });
  const server = new ServerProcess({
    // Another build of the server (a before/after comparison): BENCH_SERVER_ENTRY=path/server.js.
    entry: process.env.BENCH_SERVER_ENTRY || join(REPO_ROOT, 'apps', 'server', 'dist', 'server.js'),
    redisUrl: stores.options.redisUrl,
    databaseUrl: stores.options.databaseUrl,
    schema: stores.schema,
    keyPrefix: stores.keyPrefix,
    logFile: serverLog,
    // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof": the server alone.
    nodeArgs: nodeArgs(process.env.BENCH_SERVER_NODE_ARGS),
    // e.g. BENCH_SERVER_ENV="WS_FLUSH_INTERVAL_MS=100": a server setting to compare.
    env: serverEnv(process.env.BENCH_SERVER_ENV),
  });
  return { startedAt, runId, serverLog, stores, server };
}

/** The schema, the server, the stadium and the sessions every scenario shares. */
async function prepare(
  run: RunPlan,
  opts: Options,
  results: ReadonlyMap<string, ScenarioResult>,
): Promise<BenchContext> {
  const { stores, server } = run;
  log(`bench ${run.runId}: schema ${stores.schema}, key prefix ${stores.keyPrefix}`);
  await stores.open();
  await stores.createSchema();
  await server.start();
  log(`server pid ${server.pid} at ${server.url}`);
  const stadium = await createStadium(server);
  log(`stadium ${stadium.eventId}: ${stadium.seatCount.toLocaleString('en-US')} seats`);
  const sessions = await createSessions(server, opts.sessions);
  log(`${sessions.length.toLocaleString('en-US')} sessions`);

  const checker = new InvariantChecker(stores.redis, stores.pg, {
    keyPrefix: stores.keyPrefix,
    schema: stores.schema,
  });
  return { ...opts, server, stores, checker, stadium, sessions, results, log };
}

/** Runs the scenarios in order, each followed by the checks at rest, into results. */
async function measureAll(
  ctx: BenchContext,
  selected: readonly Scenario[],
  results: Map<string, ScenarioResult>,
): Promise<void> {
  const { checker, stadium, server } = ctx;
  for (const [i, scenario] of selected.entries()) {
    log(`[${i + 1}/${selected.length}] ${scenario.name}: ${scenario.summary} …`);
    const load = loadavg().map((l) => Math.round(l * 100) / 100);
    const rows = [await scenario.run(ctx)].flat();
    const atRest = await checkAtRest(checker, [stadium.eventId, ARENA_EVENT_ID]);
    // The checks at rest follow the whole scenario: their findings go to its last row.
    const last = rows.at(-1);
    last?.violations.push(...atRest.violations);
    if (last !== undefined && atRest.attempts > 1) {
      last.details.invariantCheckAttempts = atRest.attempts;
    }
    for (const row of rows) {
      row.details.loadAverageAtStart ??= load;
      row.details.serverRssMb = Math.round(server.rssBytes() / 2 ** 20);
      results.set(row.name, row);
      log(progressLine(i + 1, selected.length, row));
    }
    await sleep(500);
  }

  const first = results.get('ceiling');
  if (first !== undefined && selected.length > 1) {
    const after = await remeasureCeiling(ctx);
    first.details.after = after;
    log(
      `ceiling again at the end: ${after.rps?.toLocaleString('en-US')} req/s ` +
        `(${signed(after.rpsChange)}), CPU/req ${signed(after.cpuChange)}: the ratios use the first`,
    );
  }
}

/** Prints the table and the verdict, writes the JSON, and returns the exit code. */
async function judge(
  run: RunPlan,
  opts: Options,
  sessions: number,
  list: ScenarioResult[],
): Promise<number> {
  const summary = summarise(list);
  console.log(`\n${formatTable(list)}\n`);
  const broken = formatViolations(list);
  if (broken) console.log(`${broken}\n`);
  console.log(formatSummary(summary, opts.quick));
  const exitCode = !summary.invariantsOk || (opts.strict && summary.targetsFailed > 0) ? 1 : 0;
  const info: RunInfo = {
    startedAt: run.startedAt,
    quick: opts.quick,
    strict: opts.strict,
    durationS: opts.durationS,
    connections: opts.connections,
    sessions,
    node: process.version,
    cpus: cpus().length,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    commit: commit(),
    serverLog: run.serverLog,
  };
  log(`results: ${await writeJson(RESULTS_DIR, info, list, summary, exitCode)}`);
  return exitCode;
}

/** Runs the checker on each event until it finds nothing, at most SETTLE_ATTEMPTS times. */
async function checkAtRest(
  checker: InvariantChecker,
  eventIds: readonly string[],
): Promise<{ violations: Violation[]; attempts: number }> {
  let violations: Violation[] = [];
  let attempts = 0;
  while (attempts < SETTLE_ATTEMPTS) {
    await sleep(attempts === 0 ? 300 : 1_000);
    attempts++;
    violations = (await Promise.all(eventIds.map((id) => checker.checkEvent(id)))).flat();
    if (violations.length === 0) break;
  }
  return { violations, attempts };
}

async function tearDown(server: ServerProcess, stores: Stores): Promise<void> {
  const steps: Array<[string, () => Promise<unknown>]> = [
    ['stop the server', () => server.stop()],
    ['delete the Redis keys', () => stores.deleteKeys()],
    ['drop the schema', () => stores.dropSchema()],
    ['close the connections', () => stores.close()],
  ];
  for (const [what, step] of steps) {
    await step().catch((err: unknown) => console.error(`could not ${what}: ${String(err)}`));
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}

function commit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    }).trim();
  } catch {
    return undefined;
  }
}

/** KEY=VALUE pairs separated by spaces, for the server's environment. */
function serverEnv(value: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of (value ?? '').split(' ').filter((p) => p !== '')) {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`BENCH_SERVER_ENV: ${pair} is not KEY=VALUE`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

/** Node flags from an environment variable, split at spaces. */
function nodeArgs(value: string | undefined): string[] {
  return (value ?? '').split(' ').filter((arg) => arg !== '');
}

function signed(change: number | undefined): string {
  const pct = Math.round((change ?? 0) * 100);
  return `${pct >= 0 ? '+' : ''}${pct}%`;
}

function log(line: string): void {
  console.log(line);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    process.exit(2);
  },
);
