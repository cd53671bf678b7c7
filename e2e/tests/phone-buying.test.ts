// Buying on a phone (390×844, touch, DPR 3): two fingers zoom, a tap on a section zooms into it,
// a tap on a seat shows it before anything is held, the bottom bar buys without scrolling. And on
// both a phone and a desktop: the map's words (section names, row letters, seat numbers), the
// stage cue, zoom buttons off the seats, legend swatches in the colours the canvas draws, focus
// moved on navigation, and no axe finding.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAxeFindings } from '../support/axe.js';
import { getEvent, getSeats, type EventDetail } from '../support/api.js';
import { Buyer, DEVICES, launchBrowser } from '../support/browser.js';
import { TestServer } from '../support/server.js';

const EVENT = 'arena-demo';
const PHONE = DEVICES.phone;
const DESKTOP = DEVICES.desktop;
/** The seat each device's buyer holds for the legend test; M15 is bought by the phone buyer. */
const MINE = { phone: 'P10', desktop: 'Q10' } as const;
const TAKEN = new Set(['M15', ...Object.values(MINE)]);

let server: TestServer;
let browser: Browser;
let event: EventDetail;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    TestServer.start({ WS_VIEWERS_INTERVAL_MS: '300' }),
    launchBrowser(),
  ]);
  event = await getEvent(server.url, EVENT);
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

/** A number the map element carries as a data attribute. */
async function mapNumber(buyer: Buyer, name: string): Promise<number> {
  return Number(await buyer.map.getAttribute(`data-${name}`));
}

/** Waits until the map's data attribute `name` passes `check` (the map redraws on a frame). */
async function waitMap(
  buyer: Buyer,
  name: string,
  check: (value: string | null) => boolean,
): Promise<void> {
  await expect
    .poll(async () => check(await buyer.map.getAttribute(`data-${name}`)), { timeout: 5_000 })
    .toBe(true);
}

/** Past the map's double-tap window (300 ms): the next tap is a tap of its own. */
async function nextTap(): Promise<void> {
  await sleep(400);
}

async function seatStatus(seatId: string, token?: string): Promise<string> {
  const snapshot = await getSeats(server.url, EVENT, token);
  if (snapshot.sold.includes(seatId)) return 'sold';
  if (snapshot.held.includes(seatId)) return 'held';
  return 'available';
}

describe('buying on a phone', () => {
  let buyer: Buyer;

  beforeAll(async () => {
    buyer = await Buyer.open(browser, server.url, EVENT, 'phone', { device: PHONE });
  });

  it('zooms with two fingers, about the point between them', async () => {
    const before = await buyer.mapScale();
    const box = await buyer.map.boundingBox();
    if (box === null) throw new Error('no map');
    await buyer.pinch(box.x + box.width / 2, box.y + box.height / 2, 60, 180);
    const after = await buyer.mapScale();
    expect(after / before).toBeGreaterThan(2.5);
    expect(after / before).toBeLessThan(3.5);
    // Nothing was held by the fingers.
    expect(await buyer.cart.locator('ul[aria-label="Held seats"] li').count()).toBe(0);
    await buyer.page.getByRole('button', { name: 'Fit to screen' }).tap();
    await waitMap(buyer, 'scale', (v) => Number(v) === before);
  });

  it('zooms into the section a tap lands on while seats are too small to pick', async () => {
    const before = await buyer.mapScale();
    expect(await mapNumber(buyer, 'row-labels')).toBe(0);
    expect(await mapNumber(buyer, 'section-labels')).toBeGreaterThanOrEqual(4);
    await buyer.tapSeat('M15');
    await waitMap(buyer, 'scale', (v) => Number(v) > before * 1.5);
    // Letters of the rows in view from this zoom on; the seat tapped is still on screen.
    await waitMap(buyer, 'row-labels', (v) => Number(v) > 0);
    const p = await buyer.seatPoint('M15');
    const box = await buyer.map.boundingBox();
    expect(box).not.toBeNull();
    if (box === null) return;
    expect(p.x).toBeGreaterThan(box.x);
    expect(p.x).toBeLessThan(box.x + box.width);
    expect(p.y).toBeGreaterThan(box.y);
    expect(p.y).toBeLessThan(box.y + box.height);
    expect(await buyer.page.getByTestId('seat-card').count()).toBe(0);
    await buyer.screenshot('phone-section-zoom');
  });

  it('shows a seat (row, seat, price) on the first tap, and holds it only on Hold', async () => {
    await nextTap();
    await buyer.tapSeat('M15');
    const card = buyer.page.getByTestId('seat-card');
    await card.waitFor();
    expect(await card.getAttribute('data-seat-id')).toBe('M15');
    const text = await card.textContent();
    expect(text).toContain('Row M, seat 15');
    expect(text).toContain('Premium · $250');
    expect(text).toContain('Available');
    expect(await seatStatus('M15')).toBe('available');
    expect(await buyer.page.getByTestId('buy-bar').count()).toBe(0);
    await buyer.screenshot('phone-seat-card');

    await card.getByRole('button', { name: 'Hold' }).tap();
    await buyer.cartItem('M15', { confirmed: true }).waitFor();
    expect(await seatStatus('M15')).toBe('held');
    expect(await card.getAttribute('data-status')).toBe('held-by-me');
    expect(await card.getByRole('button', { name: 'Release' }).count()).toBe(1);
  });

  it('keeps "1 seat · $250 · Buy" with the time left in view, and buys from there', async () => {
    const bar = buyer.page.getByTestId('buy-bar');
    await bar.waitFor();
    const box = await bar.boundingBox();
    expect(box).not.toBeNull();
    if (box === null) return;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(844);
    const text = (await bar.textContent()) ?? '';
    expect(text).toContain('1 seat · $250');
    expect(text).toMatch(/held for \d+:\d\d/);
    await buyer.screenshot('phone-buy-bar');

    const findings = await allAxeFindings(buyer.page);
    expect(findings).toEqual([]);

    await bar.getByRole('button', { name: 'Buy 1 seat for $250' }).tap();
    await buyer.confirmation.waitFor({ timeout: 10_000 });
    expect(await seatStatus('M15')).toBe('sold');
    expect(await bar.count()).toBe(0);
    // The confirmation's heading has the focus, and the confirmation is scrolled into view.
    const focused = await buyer.page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(focused).toContain('Order confirmed');
    const confirmation = await buyer.confirmation.boundingBox();
    expect(confirmation?.y ?? -1).toBeGreaterThanOrEqual(0);
    expect(confirmation?.y ?? 844).toBeLessThan(844 / 2);
    await buyer.screenshot('phone-confirmation');
  });

  it('zooms in on a double tap', async () => {
    // The confirmation is the order's page; the buyer goes back to the map.
    await buyer.backToMap();
    await buyer.page.evaluate(() => window.scrollTo(0, 0));
    await buyer.page.getByRole('button', { name: 'Fit to screen' }).tap();
    await nextTap();
    const before = await buyer.mapScale();
    // On the stage, away from the seats: a single tap there does nothing.
    const { stage } = event;
    const { x, y } = await buyer.screenPoint(stage.x + stage.width / 2, stage.y + stage.height / 2);
    await buyer.page.touchscreen.tap(x, y);
    await buyer.page.touchscreen.tap(x, y);
    await waitMap(buyer, 'scale', (v) => Math.abs(Number(v) / before - 2) < 0.01);
  });
});

describe.each([
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const)('the map on a %s', (device, options) => {
  let buyer: Buyer;

  beforeAll(async () => {
    buyer = await Buyer.open(browser, server.url, EVENT, device, {
      device: options,
      viaList: true,
    });
  });

  it("moves the focus to the event's name after following its link", async () => {
    const focused = await buyer.page.evaluate(() => ({
      tag: document.activeElement?.tagName,
      text: document.activeElement?.textContent,
    }));
    expect(focused).toEqual({ tag: 'H1', text: event.name });
  });

  it('says how many people look at the event', async () => {
    // The phone buyer of the first part, and this one (the phone map's buyer has left the event
    // for other pages by the time the desktop's opens).
    const viewers = buyer.page.getByTestId('viewers');
    await viewers.getByText('2 people looking').waitFor({ timeout: 5_000 });
  });

  it('keeps the zoom buttons off the seats', async () => {
    const [map, zoom] = await Promise.all([
      buyer.map.boundingBox(),
      buyer.page.getByRole('group', { name: 'Zoom' }).boundingBox(),
    ]);
    expect(map).not.toBeNull();
    expect(zoom).not.toBeNull();
    if (map === null || zoom === null) return;
    expect(zoom.y).toBeGreaterThanOrEqual(map.y + map.height);
    for (const button of await buyer.page
      .getByRole('group', { name: 'Zoom' })
      .getByRole('button')
      .all()) {
      const b = await button.boundingBox();
      expect(b?.height ?? 0).toBeGreaterThanOrEqual(40);
      expect(b?.width ?? 0).toBeGreaterThanOrEqual(44);
    }
  });

  it('draws legend swatches in the colours the canvas draws the same seats in', async () => {
    // A seat held by this buyer, to compare "Held by you" too (a tap and Hold, or a click).
    const mine = MINE[device];
    if (device === 'phone') {
      await buyer.tapSeat(mine); // zooms into its section
      await waitMap(buyer, 'row-labels', (v) => Number(v) > 0);
      await nextTap();
      await buyer.tapSeat(mine);
      await buyer.page.getByTestId('seat-card').getByRole('button', { name: 'Hold' }).tap();
    } else {
      await buyer.clickSeat(mine);
    }
    await buyer.cartItem(mine, { confirmed: true }).waitFor();
    if (device === 'phone') await buyer.page.getByRole('button', { name: 'Fit to screen' }).tap();
    await buyer.pointerAway();

    const bySection = new Map(event.sections.map((s) => [s.id, s]));
    const samples: { seatId: string; legend: string }[] = [];
    for (const section of event.sections) {
      // A seat in the section's middle, not next to the one held.
      const seats = event.seats.filter((s) => s.sectionId === section.id && !TAKEN.has(s.id));
      const seat = seats[Math.floor(seats.length / 2)];
      if (seat === undefined) throw new Error(`no seat in ${section.id}`);
      samples.push({ seatId: seat.id, legend: `li[data-section-id="${section.id}"]` });
    }
    // Status 1: held by you (the legend's line in the order of LEGEND_STATUSES).
    samples.push({ seatId: mine, legend: 'li[data-status="1"]' });
    expect(bySection.size).toBe(event.sections.length);

    for (const { seatId, legend } of samples) {
      const point = await buyer.seatPoint(seatId);
      const [drawn, swatch] = await buyer.page.evaluate(
        ({ point, legend }) => {
          /** The most common colour of a square of a canvas around (x, y), device pixels. */
          const commonColour = (canvas: HTMLCanvasElement, x: number, y: number, r: number) => {
            const data = canvas
              .getContext('2d')
              ?.getImageData(x - r, y - r, 2 * r + 1, 2 * r + 1).data;
            if (data === undefined) return null;
            const counts = new Map<string, number>();
            for (let i = 0; i < data.length; i += 4) {
              const key = `${data[i]},${data[i + 1]},${data[i + 2]}`;
              counts.set(key, (counts.get(key) ?? 0) + 1);
            }
            return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
          };
          const map = document.querySelector('[data-testid="seat-map"]');
          const canvas = map?.querySelector('canvas');
          const sample = document.querySelector<HTMLCanvasElement>(
            `[data-testid="legend"] ${legend} canvas`,
          );
          if (!map || !canvas || !sample) return [null, null];
          const rect = map.getBoundingClientRect();
          const dpr = canvas.width / rect.width;
          const seat = commonColour(
            canvas,
            Math.round((point.x - rect.left) * dpr),
            Math.round((point.y - rect.top) * dpr),
            Math.max(1, Math.floor(2 * dpr)),
          );
          const c = Math.floor(sample.width / 2);
          return [seat, commonColour(sample, c, c, Math.floor(sample.width / 8))];
        },
        { point, legend },
      );
      expect(drawn, `${seatId} against ${legend}`).not.toBeNull();
      expect(drawn, `${seatId} against ${legend}`).toBe(swatch);
    }
  });

  it('names sections at the fitted zoom, letters rows and numbers seats closer in', async () => {
    await buyer.page.getByRole('button', { name: 'Fit to screen' }).click();
    // Five names: VIP Centre, VIP Wings on each side of it, Premium, Standard.
    await waitMap(buyer, 'section-labels', (v) => Number(v) === 5);
    // Row letters once seats are big enough: at once on a desktop, not on a phone.
    if (device === 'phone') expect(await mapNumber(buyer, 'row-labels')).toBe(0);
    else expect(await mapNumber(buyer, 'row-labels')).toBeGreaterThan(0);
    expect(await mapNumber(buyer, 'seat-numbers')).toBe(0);
    expect(await buyer.map.getAttribute('data-stage-cue')).toBe('');
    await buyer.screenshot(`${device}-map-fit`);

    // Zoomed in far on the back row: numbers inside the seats, and the stage out of sight above.
    if (device === 'phone') {
      await nextTap();
      await buyer.tapSeat('AD15'); // into the section
      await waitMap(buyer, 'row-labels', (v) => Number(v) > 0);
      const p = await buyer.seatPoint('AD15');
      await buyer.pinch(p.x, p.y - 40, 40, 120);
    } else {
      const p = await buyer.seatPoint('AD15');
      await buyer.page.mouse.move(p.x, p.y);
      for (let i = 0; i < 6; i++) await buyer.page.mouse.wheel(0, -400);
    }
    await waitMap(buyer, 'seat-numbers', (v) => Number(v) > 0);
    await waitMap(buyer, 'stage-cue', (v) => v === 'up');
    expect(await mapNumber(buyer, 'row-labels')).toBeGreaterThan(0);
    expect(await mapNumber(buyer, 'section-labels')).toBeGreaterThanOrEqual(1);
    await buyer.screenshot(`${device}-map-zoomed`);
  });

  it("draws the map's keyboard focus ring over the canvas", async () => {
    if (device === 'phone') return; // no keyboard on the phone
    await buyer.page.getByRole('button', { name: 'Fit to screen' }).click();
    await buyer.page.locator('h1').focus();
    for (let i = 0; i < 10; i++) {
      await buyer.page.keyboard.press('Tab');
      if (await buyer.map.evaluate((el) => el === document.activeElement)) break;
    }
    const ring = await buyer.map.evaluate((el) => {
      const after = getComputedStyle(el, '::after');
      return {
        focusVisible: el.matches(':focus-visible'),
        border: after.borderTopWidth,
        style: after.borderTopStyle,
        // The canvas has no z-index of its own (auto: 0 in its stacking context).
        above:
          Number(after.zIndex) >
          (Number.parseInt(getComputedStyle(el.querySelector('canvas')!).zIndex, 10) || 0),
      };
    });
    expect(ring).toEqual({ focusVisible: true, border: '3px', style: 'solid', above: true });
    await buyer.screenshot(`${device}-map-focus`);
  });

  it('has no accessibility finding of any impact, on the map and on every other page', async () => {
    expect(await allAxeFindings(buyer.page)).toEqual([]);
    for (const path of ['/', '/no-such-page']) {
      const response = await buyer.page.goto(path);
      expect(response?.status(), path).toBe(path === '/' ? 200 : 404);
      await buyer.page.locator('h1, main p').first().waitFor();
      expect(await allAxeFindings(buyer.page), path).toEqual([]);
      await buyer.screenshot(`${device}-page${path.replaceAll('/', '-')}`);
    }
  });
});
