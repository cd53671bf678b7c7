// The 100,000-seat stadium: it renders, pans and zooms with the mouse, and stays responsive while
// hundreds of seat changes a second arrive. The draw times and frame intervals are printed (and
// written to e2e/test-results/stadium.json) so that they can be reported.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seatedSections } from '@ticketmain/protocol';
import type { Browser } from 'playwright-core';
import { stadium } from '@ticketmain/server/venue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, getSeats } from '../support/api.js';
import { Buyer, launchBrowser } from '../support/browser.js';
import { churn, createSessions } from '../support/load.js';
import {
  drawsSince,
  installProbe,
  pageNow,
  RendererMetrics,
  startRecording,
  stopRecording,
  type DrawRecord,
} from '../support/probe.js';
import { REPO_ROOT, TestServer } from '../support/server.js';
import { formatSummary, summarize } from '../support/stats.js';

const EVENT = 'e2e-stadium';
/** A seat in the middle of the top Lower section, where the test zooms in. */
const ZOOM_SEAT = 'S12-R25-25';
/** 80 sessions, each keeping up to 4 seats held, 500 holds and releases a second in all. */
const LOAD = { sessions: 80, changesPerSecond: 500, durationMs: 5_000, keepHeld: 4 };
/**
 * Frame interval p95 bound under load (ms): 60 Hz frames are 16.7 ms, and p95 measured 16.8 ms on
 * the 2-core machine with --disable-gpu (33 ms at worst while other test suites ran beside it).
 */
const FRAME_P95_BOUND_MS = 50;

describe('the 100,000-seat stadium', () => {
  let server: TestServer;
  let browser: Browser;
  let buyer: Buyer;
  let seatIds: string[];
  const report: Record<string, unknown> = {};

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      TestServer.start({ RATE_LIMITS: 'off', SEED_DEMO: 'false' }),
      launchBrowser(),
    ]);
    const venue = stadium();
    seatIds = seatedSections(venue).flatMap((s) =>
      s.rows.flatMap((r) => r.seats.map((seat) => seat.id)),
    );
    await createEvent(server.url, {
      id: EVENT,
      name: 'Stadium Night',
      venue,
      startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      currency: 'USD',
    });
  });

  afterAll(async () => {
    mkdirSync(join(REPO_ROOT, 'e2e/test-results'), { recursive: true });
    writeFileSync(
      join(REPO_ROOT, 'e2e/test-results/stadium.json'),
      `${JSON.stringify(report, null, 2)}\n`,
    );
    await browser?.close();
    await server?.dispose();
  });

  it('renders, and redraws quickly as it is zoomed and panned with the mouse', async () => {
    const opened = Date.now();
    buyer = await Buyer.open(browser, server.url, EVENT, 'stadium buyer', {
      readyTimeoutMs: 60_000,
    });
    const readyMs = Date.now() - opened;
    const { page, map } = buyer;
    expect(await map.getAttribute('data-seat-count')).toBe('100000');
    const first = {
      ms: Number(await map.getAttribute('data-last-draw-ms')),
      mode: await map.getAttribute('data-draw-mode'),
      drawn: Number(await map.getAttribute('data-drawn-seats')),
    };
    expect(first.drawn).toBe(100_000);
    await installProbe(page);
    await buyer.waitAvailableCount();
    await buyer.screenshot('stadium-full');

    // Zoom in on a seat in the middle of the top Lower section, S12.
    const { x: cx, y: cy } = await buyer.seatPoint(ZOOM_SEAT);
    const since = await pageNow(page);
    const scaleNow = () => map.getAttribute('data-scale').then(Number);
    const offsetNow = () =>
      map.evaluate(
        (el) => `${(el as HTMLElement).dataset.offsetX},${(el as HTMLElement).dataset.offsetY}`,
      );

    // Wheel zoom about the pointer until seats are big enough for their marks (vector mode);
    // then a drag; then the wheel out again.
    await page.mouse.move(cx, cy);
    for (let i = 0; i < 10 && (await map.getAttribute('data-draw-mode')) !== 'vector'; i++) {
      const before = await scaleNow();
      await page.mouse.wheel(0, -400);
      await expect.poll(scaleNow).toBeGreaterThan(before);
    }
    expect(await map.getAttribute('data-draw-mode')).toBe('vector');
    const beforeDrag = await offsetNow();
    await page.mouse.down();
    await page.mouse.move(cx + 200, cy + 150, { steps: 12 });
    await page.mouse.up();
    await expect.poll(offsetNow).not.toBe(beforeDrag);
    // Zoomed in, a seat can be pointed at: its name and status are announced.
    await buyer.expectSeat(ZOOM_SEAT, 'available');
    expect((await buyer.announced()).text).toMatch(/^Row 25, seat 25, Lower 12, \$150, available$/);
    await buyer.screenshot('stadium-zoomed', { keepPointer: true });
    for (let i = 0; i < 3; i++) {
      const before = await scaleNow();
      await page.mouse.wheel(0, 400);
      await expect.poll(scaleNow).toBeLessThan(before);
    }
    await page.getByRole('button', { name: 'Fit to screen' }).click();
    await expect.poll(() => map.getAttribute('data-drawn-seats')).toBe('100000');
    const redraws = await drawsSince(page, since);

    const full = redraws.filter((d) => d.drawn === 100_000);
    report.ready = { readyMs, firstDraw: first };
    const interactionDraws = describeDraws(redraws);
    report.interactionDraws = interactionDraws;
    console.log(
      `[e2e] stadium: data-ready ${readyMs} ms after opening; first draw ${first.ms} ms ` +
        `(${first.mode}, ${first.drawn} seats)\n` +
        `[e2e] stadium: ${redraws.length} redraws while zooming and panning: ` +
        `${formatSummary(summarize(redraws.map((d) => d.ms)))}; ` +
        `pixels mode ${formatSummary(interactionDraws.pixels)}; ` +
        `vector mode ${formatSummary(interactionDraws.vector)}; ` +
        `all 100,000 seats ${formatSummary(summarize(full.map((d) => d.ms)))}`,
    );
    expect(redraws.length).toBeGreaterThanOrEqual(6);
    // One draw of the whole stadium fits in a frame budget with room to spare.
    expect(summarize(redraws.map((d) => d.ms)).p50).toBeLessThan(50);
  });

  it('stays responsive while hundreds of seat changes a second arrive', async () => {
    const { page } = buyer;
    const renderer = await RendererMetrics.attach(page);
    const sessions = await createSessions(server.url, LOAD.sessions);
    const spread = seatIds.filter((_, i) => i % 97 === 0);
    const zoomed = seatIds.filter((id, i) => /^S1[123]-/.test(id) && i % 2 === 0);
    // Two seconds of load first, unmeasured: the server's code paths warm up.
    await churn(
      { baseUrl: server.url, eventId: EVENT, seatIds: spread, ...LOAD, durationMs: 2_000 },
      sessions,
    );
    const seqBefore = (await getSeats(server.url, EVENT)).seq;

    const phases: Record<string, unknown> = {};
    for (const phase of ['full view', 'zoomed in'] as const) {
      if (phase === 'zoomed in') {
        const { x, y } = await buyer.seatPoint(ZOOM_SEAT);
        await page.mouse.move(x, y);
        for (
          let i = 0;
          i < 10 && (await buyer.map.getAttribute('data-draw-mode')) !== 'vector';
          i++
        ) {
          const before = await buyer.map.getAttribute('data-scale');
          await page.mouse.wheel(0, -300);
          await expect.poll(() => buyer.map.getAttribute('data-scale')).not.toBe(before);
        }
        expect(await buyer.map.getAttribute('data-draw-mode')).toBe('vector');
        await buyer.pointerAway();
      }
      // Full view: seats all over the stadium; zoomed in: the seats of the sections in view.
      const pool = phase === 'full view' ? spread : zoomed;
      const metricsBefore = await renderer.read();
      await startRecording(page);
      const load = churn({ baseUrl: server.url, eventId: EVENT, seatIds: pool, ...LOAD }, sessions);
      // Halfway through, a screenshot of the map under load.
      await new Promise((resolve) => setTimeout(resolve, LOAD.durationMs / 2));
      await buyer.screenshot(phase === 'full view' ? 'stadium-load-full' : 'stadium-load-zoomed', {
        keepPointer: true,
      });
      const result = await load;
      const recording = await stopRecording(page);
      const metricsAfter = await renderer.read();
      const busy = (name: string) =>
        Math.round(
          ((100 * ((metricsAfter[name] ?? 0) - (metricsBefore[name] ?? 0))) / recording.elapsedMs) *
            1000,
        );
      const frames = summarize(recording.frameIntervals);
      const draws = describeDraws(recording.draws);
      const rate = Math.round(result.changes / result.seconds);
      phases[phase] = {
        load: { ...result, latencies: summarize(result.latencies), changesPerSecond: rate },
        frames,
        draws,
        longTasks: summarize(recording.longTasks),
      };
      console.log(
        `[e2e] stadium under load (${phase}): ${result.changes} seat changes in ` +
          `${result.seconds.toFixed(1)} s (${rate}/s, ${result.failures} failed, ` +
          `request time ${formatSummary(summarize(result.latencies))}); ` +
          `frame intervals ${formatSummary(frames)}; ` +
          `${recording.draws.length} redraws ${formatSummary(draws.all)}; ` +
          `long tasks ${recording.longTasks.length} (${Math.round(recording.longTasks.reduce((a, b) => a + b, 0))} ms); ` +
          `renderer main thread busy ${busy('TaskDuration')}% (script ${busy('ScriptDuration')}%)`,
      );
      expect(result.failures, result.firstError ?? '').toBe(0);
      expect(rate).toBeGreaterThanOrEqual(200);
      expect(recording.draws.length).toBeGreaterThan(10);
      expect(frames.p95).toBeLessThan(FRAME_P95_BOUND_MS);
    }
    report.load = phases;

    // Every change reached the page: all released again, it shows every seat available.
    const after = await getSeats(server.url, EVENT);
    expect(after.held).toEqual([]);
    console.log(`[e2e] stadium: ${after.seq - seqBefore} changes published in all`);
    expect(await buyer.waitAvailableCount()).toBe(100_000);
    expect(buyer.pageErrors).toEqual([]);
  });
});

function describeDraws(draws: readonly DrawRecord[]) {
  const byMode = (mode: string) => summarize(draws.filter((d) => d.mode === mode).map((d) => d.ms));
  return {
    all: summarize(draws.map((d) => d.ms)),
    pixels: byMode('pixels'),
    vector: byMode('vector'),
  };
}
