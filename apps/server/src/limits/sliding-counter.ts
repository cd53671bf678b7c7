// Events of one client in a sliding window (a WebSocket's invalid messages in the last second),
// for limits checked on every message of a connection: no store, no key, no promise. Keeps at
// most `limit + 1` times, so a client that floods it costs nothing more.

export class SlidingCounter {
  private readonly times: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one event; true when the window now holds more than `limit` of them. */
  add(): boolean {
    const now = this.now();
    while (this.times.length > 0 && this.times[0]! <= now - this.windowMs) this.times.shift();
    this.times.push(now);
    if (this.times.length > this.limit + 1) this.times.shift();
    return this.times.length > this.limit;
  }
}
