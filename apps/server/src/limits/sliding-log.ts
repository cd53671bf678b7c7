// Sliding-window logs in process: per key, the times of the requests admitted in the last window.
// The in-process twin of the Redis logs (scripts/slidingWindow-1.lua, the queue's join log): a
// refused request is not logged, and at most `maxKeys` logs are kept (the oldest-used is dropped
// first), each at most `max` entries long, so memory stays bounded whatever clients do.

export interface LogHit {
  /** Requests in the window with this one; max + 1 when refused. */
  current: number;
  /** Ms until the window has room again (the window itself when admitted). */
  ttl: number;
}

export class SlidingLogs {
  private readonly logs = new Map<string, number[]>();

  constructor(private readonly maxKeys = 50_000) {}

  /** One request of `key` at `now`, admitted while fewer than `max` were in the last window. */
  hit(key: string, now: number, windowMs: number, max: number): LogHit {
    const log = (this.logs.get(key) ?? []).filter((at) => at > now - windowMs);
    this.logs.delete(key);
    let reply: LogHit;
    if (log.length < max) {
      log.push(now);
      reply = { current: log.length, ttl: windowMs };
    } else {
      reply = { current: max + 1, ttl: Math.max(1, (log[0] ?? now) + windowMs - now) };
    }
    this.logs.set(key, log);
    if (this.logs.size > this.maxKeys) this.logs.delete(this.logs.keys().next().value ?? key);
    return reply;
  }

  clear(): void {
    this.logs.clear();
  }
}
