// Latencies in whole milliseconds as counts per millisecond: millions of samples (every frame at
// every subscriber) cost a fixed 40 KB, merge by addition, and cross the IPC channel as one array.
// The frames' `time` is in whole ms, so a finer resolution would mean nothing.

/** Samples at or above this many ms are counted in the last bucket. */
export const HISTOGRAM_MAX_MS = 10_000;

export class LatencyHistogram {
  readonly counts: Uint32Array;

  constructor(counts?: Uint32Array) {
    this.counts = counts ?? new Uint32Array(HISTOGRAM_MAX_MS + 1);
  }

  add(ms: number): void {
    const bucket = ms <= 0 ? 0 : ms >= HISTOGRAM_MAX_MS ? HISTOGRAM_MAX_MS : Math.round(ms);
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
  }

  merge(other: Uint32Array): void {
    for (let i = 0; i < other.length && i < this.counts.length; i++) {
      this.counts[i] = (this.counts[i] ?? 0) + (other[i] ?? 0);
    }
  }

  get total(): number {
    let n = 0;
    for (const c of this.counts) n += c;
    return n;
  }

  /** The p-th percentile (0–100), nearest rank, in ms; null when empty. */
  percentile(p: number): number | null {
    const total = this.total;
    if (total === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * total));
    let seen = 0;
    for (let ms = 0; ms < this.counts.length; ms++) {
      seen += this.counts[ms] ?? 0;
      if (seen >= rank) return ms;
    }
    return HISTOGRAM_MAX_MS;
  }

  max(): number | null {
    for (let ms = this.counts.length - 1; ms >= 0; ms--) if ((this.counts[ms] ?? 0) > 0) return ms;
    return null;
  }

  reset(): void {
    this.counts.fill(0);
  }
}
