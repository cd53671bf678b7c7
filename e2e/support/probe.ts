// In-page measurements of the seat map: every redraw (its data-last-draw-ms, data-draw-mode and
// data-drawn-seats, seen by a MutationObserver) and, while recording, every animation frame's
// timestamp (a requestAnimationFrame loop) and the long tasks that blocked the main thread.
import type { CDPSession, Page } from 'playwright-core';

export interface DrawRecord {
  at: number;
  ms: number;
  mode: string;
  drawn: number;
}

export interface Recording {
  /** Intervals between consecutive animation frames (ms). */
  frameIntervals: number[];
  draws: DrawRecord[];
  longTasks: number[];
  elapsedMs: number;
}

interface ProbeState {
  draws: DrawRecord[];
  frames: number[];
  longTasks: number[];
  recording: boolean;
  startedAt: number;
}

type ProbeWindow = Window & { e2eProbe?: ProbeState };

export async function installProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as ProbeWindow;
    if (w.e2eProbe !== undefined) return;
    const probe: ProbeState = {
      draws: [],
      frames: [],
      longTasks: [],
      recording: false,
      startedAt: 0,
    };
    w.e2eProbe = probe;
    const map = document.querySelector<HTMLElement>('[data-testid="seat-map"]');
    if (map === null) throw new Error('no seat map');
    new MutationObserver(() => {
      const d = map.dataset;
      probe.draws.push({
        at: performance.now(),
        ms: Number(d.lastDrawMs),
        mode: d.drawMode ?? '',
        drawn: Number(d.drawnSeats),
      });
    }).observe(map, { attributes: true, attributeFilter: ['data-last-draw-ms'] });
    try {
      new PerformanceObserver((list) => {
        if (!probe.recording) return;
        for (const entry of list.getEntries()) probe.longTasks.push(entry.duration);
      }).observe({ type: 'longtask' });
    } catch {
      // no long-task timing in this browser
    }
  });
}

/** All redraws since `since` (a performance.now() time in the page). */
export async function drawsSince(page: Page, since: number): Promise<DrawRecord[]> {
  return page.evaluate(
    (t) => ((window as ProbeWindow).e2eProbe?.draws ?? []).filter((d) => d.at >= t),
    since,
  );
}

export async function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => performance.now());
}

export async function startRecording(page: Page): Promise<void> {
  await page.evaluate(() => {
    const probe = (window as ProbeWindow).e2eProbe;
    if (probe === undefined) throw new Error('probe not installed');
    probe.frames = [];
    probe.longTasks = [];
    probe.recording = true;
    probe.startedAt = performance.now();
    const loop = (t: number) => {
      if (!probe.recording) return;
      probe.frames.push(t);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  });
}

export async function stopRecording(page: Page): Promise<Recording> {
  return page.evaluate(() => {
    const probe = (window as ProbeWindow).e2eProbe;
    if (probe === undefined) throw new Error('probe not installed');
    probe.recording = false;
    const frameIntervals = probe.frames.slice(1).map((t, i) => t - (probe.frames[i] ?? t));
    return {
      frameIntervals,
      draws: probe.draws.filter((d) => d.at >= probe.startedAt),
      longTasks: probe.longTasks,
      elapsedMs: performance.now() - probe.startedAt,
    };
  });
}

/** The renderer's own accounting (Chrome DevTools Protocol Performance.getMetrics). */
export class RendererMetrics {
  private constructor(private readonly cdp: CDPSession) {}

  static async attach(page: Page): Promise<RendererMetrics> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    return new RendererMetrics(cdp);
  }

  /** Seconds: TaskDuration (main thread busy), ScriptDuration, LayoutDuration, ... */
  async read(): Promise<Record<string, number>> {
    const { metrics } = await this.cdp.send('Performance.getMetrics');
    return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
  }
}
