// Log lines that clients can cause at will (oversized frames, junk, refused connections): at most
// one per reason per interval, so that no client can fill the log or spend the server's time on
// it. The lines left out are counted, and the count is logged once the interval is over.

export type LogLine = (fields: Record<string, unknown>, message: string) => void;

interface Window {
  message: string;
  /** Lines left out since the last one written. */
  suppressed: number;
  timer: NodeJS.Timeout;
}

export class LogThrottle {
  /** One entry per reason logged in the last interval; reasons are the server's, never a client's. */
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly write: LogLine,
    private readonly intervalMs = 1_000,
  ) {}

  /** Writes the line unless one of this reason was written less than an interval ago. */
  log(reason: string, fields: Record<string, unknown>, message: string): void {
    const window = this.windows.get(reason);
    if (window !== undefined) {
      window.suppressed++;
      return;
    }
    this.write({ reason, ...fields }, message);
    this.open(reason, message);
  }

  /** Writes the counts still pending (on shutdown). */
  flush(): void {
    for (const [reason, window] of this.windows) {
      clearTimeout(window.timer);
      this.windows.delete(reason);
      if (window.suppressed > 0) this.writeSuppressed(reason, window);
    }
  }

  private open(reason: string, message: string): void {
    const timer = setTimeout(() => {
      const window = this.windows.get(reason);
      this.windows.delete(reason);
      // The count starts a window of its own: a steady flood logs one line per interval.
      if (window !== undefined && window.suppressed > 0) {
        this.writeSuppressed(reason, window);
        this.open(reason, message);
      }
    }, this.intervalMs);
    timer.unref();
    this.windows.set(reason, { message, suppressed: 0, timer });
  }

  private writeSuppressed(reason: string, { message, suppressed }: Window): void {
    this.write({ reason, suppressed }, `${message} (${suppressed} more in ${this.intervalMs} ms)`);
  }
}
