// Watching a server process from outside while something attacks it: its resident memory (from
// /proc) and the latency of GET /health, probed at a fixed period.
import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { performance } from 'node:perf_hooks';

/** The resident set of a process, in bytes (Linux). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) * 1024;
}

/** Samples a process's RSS every `periodMs` until stopped; keeps the first, last and peak. */
export class RssSampler {
  readonly first: number;
  last: number;
  peak: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    periodMs = 50,
  ) {
    this.first = this.last = this.peak = rssBytes(pid);
    this.timer = setInterval(() => this.sample(), periodMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    try {
      this.last = rssBytes(this.pid);
      this.peak = Math.max(this.peak, this.last);
    } catch {
      // the process is gone: the figures stay as last seen
    }
  }
}

export interface LatencySummary {
  count: number;
  failed: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Sends GET `url` every `periodMs`, each on its own schedule (a slow answer does not delay the
 * next probe, so a stall shows as many slow probes, not one). Each latency runs from the moment
 * the request has a socket to its last byte, so the probe's own timer lateness is not counted; a
 * probe still unanswered at `stop` counts as the time it has waited so far.
 */
export class LatencyProbe {
  private readonly latencies: number[] = [];
  private readonly pending = new Set<{ started: number }>();
  private failed = 0;
  private readonly agent = new Agent({ keepAlive: true });
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    periodMs = 20,
  ) {
    this.timer = setInterval(() => this.probe(), periodMs);
  }

  /** Stops probing, waits up to `graceMs` for the probes in flight, and sums them up. */
  async stop(graceMs = 15_000): Promise<LatencySummary> {
    clearInterval(this.timer);
    const deadline = Date.now() + graceMs;
    while (this.pending.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const now = performance.now();
    for (const { started } of this.pending) this.latencies.push(now - started);
    this.agent.destroy();
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return {
      count: sorted.length,
      failed: this.failed,
      p50: at(0.5) ?? 0,
      p99: at(0.99) ?? 0,
      max: sorted.at(-1) ?? 0,
    };
  }

  private probe(): void {
    const probe = { started: performance.now() };
    this.pending.add(probe);
    const request = get(this.url, { agent: this.agent }, (response) => {
      response.resume();
      response.once('end', () => {
        this.pending.delete(probe);
        this.latencies.push(performance.now() - probe.started);
      });
    });
    // Timed from when the request has a socket, not from the timer that asked for it.
    request.once('socket', () => (probe.started = performance.now()));
    request.once('error', () => {
      this.pending.delete(probe);
      this.failed++;
    });
  }
}
