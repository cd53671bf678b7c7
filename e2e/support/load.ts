// Seat changes at a steady rate: many API sessions holding and releasing seats of their own (each
// keeps a few held, releasing the oldest as it takes a new one at random from its share of the
// pool), paced to `changesPerSecond`.
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiBuyer } from './api.js';

export interface LoadResult {
  /** Holds and releases the server accepted. */
  changes: number;
  /** Each request's time (ms). */
  latencies: number[];
  failures: number;
  seconds: number;
  firstError: string | null;
}

export interface LoadOptions {
  baseUrl: string;
  eventId: string;
  /** Seats to play with; split into disjoint pools, one per session, so nobody conflicts. */
  seatIds: readonly string[];
  sessions: number;
  changesPerSecond: number;
  durationMs: number;
  /** Seats each session keeps held at once (at most MAX_SEATS_PER_SESSION). */
  keepHeld?: number;
}

export async function createSessions(baseUrl: string, count: number): Promise<ApiBuyer[]> {
  return Promise.all(Array.from({ length: count }, () => ApiBuyer.create(baseUrl)));
}

/** Runs the load with the given sessions; every seat is released again before it returns. */
export async function churn(options: LoadOptions, buyers: ApiBuyer[]): Promise<LoadResult> {
  const { eventId, durationMs } = options;
  const keepHeld = options.keepHeld ?? 4;
  const perSessionIntervalMs = (1000 * buyers.length) / options.changesPerSecond;
  const started = Date.now();
  const deadline = started + durationMs;
  let changes = 0;
  let failures = 0;
  const latencies: number[] = [];
  let firstError: string | null = null;
  const fail = (error: unknown) => {
    failures++;
    firstError ??= String(error);
  };

  await Promise.all(
    buyers.map(async (buyer, b) => {
      const pool = options.seatIds.filter((_, i) => i % buyers.length === b);
      const held: string[] = [];
      // Spread the sessions' first requests over one interval.
      let due = started + (perSessionIntervalMs * b) / buyers.length;
      while (Date.now() < deadline) {
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
        due += perSessionIntervalMs;
        const sent = performance.now();
        try {
          if (held.length >= keepHeld) {
            await buyer.release(eventId, held.shift() ?? '');
          } else {
            let seatId = '';
            do seatId = pool[Math.floor(Math.random() * pool.length)] ?? '';
            while (held.includes(seatId));
            await buyer.hold(eventId, [seatId]);
            held.push(seatId);
          }
          changes++;
          latencies.push(performance.now() - sent);
        } catch (error) {
          fail(error);
        }
      }
      for (const seatId of held) await buyer.release(eventId, seatId).catch(fail);
    }),
  );
  return { changes, latencies, failures, firstError, seconds: (Date.now() - started) / 1000 };
}
