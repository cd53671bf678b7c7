// Waiting in tests for a condition, never for a guessed time: the probe is polled until it holds,
// under a deadline generous enough that a loaded machine only makes the test slower.
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 25;

/**
 * Resolves with the probe's first truthy answer. A probe that throws counts as "not yet" (a server
 * still starting, a connection refused); the last error is reported if the deadline passes.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | false | null | undefined> | T | false | null | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== false && value !== null && value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError === undefined ? '' : ` (last error: ${String(lastError)})`;
      throw new Error(`not reached in ${timeoutMs} ms: ${what}${cause}`);
    }
    await sleep(POLL_MS);
  }
}
