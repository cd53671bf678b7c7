// Runs a background job on a timer: never two runs of one job at once, failures logged instead of
// crashing the process. Every job is idempotent, so each replica runs its own.
import type { FastifyBaseLogger } from 'fastify';

export interface Job {
  stop(): void;
}

export function every(
  ms: number,
  name: string,
  task: () => Promise<void>,
  log: FastifyBaseLogger,
): Job {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    task()
      .catch((err: unknown) => log.warn({ err, job: name }, 'background job failed'))
      .finally(() => (running = false));
  }, ms);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
