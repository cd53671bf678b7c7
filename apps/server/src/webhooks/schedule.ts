// When a failed delivery is tried again (API.md "Webhooks"): after about 5 s, 30 s, 2 min,
// 10 min, 1 h and 6 h, then every 6 h, until 3 days have passed since the event. `scale`
// shrinks the whole schedule (WEBHOOK_RETRY_SCALE) so that tests need not wait for it.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const RETRY_DELAYS_MS = [5 * SECOND, 30 * SECOND, 2 * MINUTE, 10 * MINUTE, HOUR, 6 * HOUR];
export const RETRY_WINDOW_MS = 3 * 24 * HOUR;

/**
 * The wait before attempt `attempt + 1` after attempt `attempt` (1-based) failed, or null when
 * that would pass the window and the delivery is given up. ±10% jitter (from `random`) keeps
 * the retries of a burst from arriving together.
 */
export function retryDelay(
  attempt: number,
  elapsedMs: number,
  scale = 1,
  random: () => number = Math.random,
): number | null {
  const base = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length) - 1] ?? 6 * HOUR;
  const delay = Math.round(base * scale * (0.9 + 0.2 * random()));
  return elapsedMs + delay > RETRY_WINDOW_MS * scale ? null : delay;
}
