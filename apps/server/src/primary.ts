// The cluster primary (WORKERS > 1): forks the workers that share the port, replaces one that
// dies, and on SIGTERM or SIGINT has every worker close gracefully before it exits itself.
import cluster, { type Worker } from 'node:cluster';
import { hostname } from 'node:os';

export interface PrimaryOptions {
  workers: number;
  logLevel: string;
  /** A worker's own shutdown deadline; the primary kills what is left a second after it. */
  shutdownDeadlineMs: number;
}

/** A worker that lived this long died of something else than a crash loop: replace it at once. */
const STABLE_AFTER_MS = 30_000;
const FIRST_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;

/** Delay before replacing a dead worker: none after a long life, doubling while they die young. */
export function restartDelay(previousDelayMs: number, livedMs: number): number {
  if (livedMs >= STABLE_AFTER_MS) return 0;
  return Math.min(MAX_RESTART_DELAY_MS, Math.max(FIRST_RESTART_DELAY_MS, previousDelayMs * 2));
}

/** pino's numeric levels, so that the primary's lines read like the workers' (JSON, one a line). */
const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;
const THRESHOLDS: Record<string, number> = { trace: 10, ...LEVELS, fatal: 60 };

function logger(logLevel: string) {
  const threshold = THRESHOLDS[logLevel] ?? Infinity; // silent
  return (level: keyof typeof LEVELS, msg: string, fields: object = {}): void => {
    if (LEVELS[level] < threshold) return;
    const { pid } = process;
    const line = {
      level: LEVELS[level],
      time: Date.now(),
      pid,
      hostname: hostname(),
      ...fields,
      msg,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };
}

export function runPrimary(options: PrimaryOptions): void {
  const log = logger(options.logLevel);
  const alive = new Map<number, { worker: Worker; since: number }>();
  const timers = new Set<NodeJS.Timeout>();
  let served = false;
  let delayMs = 0;
  let stopping = false;
  let failed = false;

  const fork = (): void => {
    const worker = cluster.fork();
    alive.set(worker.id, { worker, since: Date.now() });
  };

  const shutdown = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    log('info', 'stopping the workers', { reason, workers: alive.size });
    for (const timer of timers) clearTimeout(timer);
    if (alive.size === 0) process.exit(failed ? 1 : 0);
    // Each worker closes gracefully on SIGTERM and exits 0 (server.ts), or 1 past its deadline.
    for (const { worker } of alive.values()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const { worker } of alive.values()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, options.shutdownDeadlineMs + 1_000).unref();
  };

  const replace = (worker: Worker, livedMs: number, code: number | null, signal: string | null) => {
    delayMs = restartDelay(delayMs, livedMs);
    log('warn', 'worker died; replacing it', { worker: worker.process.pid, code, signal, delayMs });
    const timer = setTimeout(() => {
      timers.delete(timer);
      fork();
    }, delayMs);
    timers.add(timer);
  };

  cluster.on('listening', () => (served = true));
  cluster.on('exit', (worker: Worker, code: number | null, signal: string | null) => {
    const livedMs = Date.now() - (alive.get(worker.id)?.since ?? Date.now());
    alive.delete(worker.id);
    if (stopping) {
      failed ||= code !== 0;
      if (alive.size === 0) process.exit(failed ? 1 : 0);
    } else if (!served) {
      // No worker ever listened: start-up itself fails (Postgres or Redis unreachable), and
      // forking again would loop. Exit as a single process would.
      failed = true;
      shutdown(`a worker failed to start (exit code ${code})`);
    } else {
      replace(worker, livedMs, code, signal);
    }
  });
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  log('info', 'starting workers', { workers: options.workers });
  for (let i = 0; i < options.workers; i++) fork();
}
