// The server's clock as seen from here: hold expiries are server times, and a buyer's computer
// may be minutes off. Estimated from the HTTP Date header (one-second resolution).
const IGNORED_SKEW_MS = 2000;

export class ServerClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** `sentAt`/`receivedAt`: local times around the request that carried `dateHeader`. */
  observe(dateHeader: string | null, sentAt: number, receivedAt: number): void {
    if (dateHeader === null) return;
    const serverSecond = Date.parse(dateHeader);
    if (Number.isNaN(serverSecond)) return;
    // The header truncates to the second: the server's time was within [second, second + 1 s).
    const skew = serverSecond + 500 - (sentAt + receivedAt) / 2;
    this.offsetMs = Math.abs(skew) > IGNORED_SKEW_MS ? skew : 0;
  }
}
