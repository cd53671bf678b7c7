// The buyer's page on a phone and on a desktop: the header in view, a legend line per section,
// the offline state told and cleared, the seat limit stated up front, and no serious axe finding.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEvent } from '../support/api.js';
import { Buyer, DEVICES, launchBrowser } from '../support/browser.js';
import { TestServer } from '../support/server.js';
import { allAxeFindings } from '../support/axe.js';

const EVENT = 'arena-demo';
/** A seat the offline buyer taps: nothing may change while offline. */
const TAPPED = 'C16';

describe.each(['phone', 'desktop'] as const)('the arena on a %s', (device) => {
  let server: TestServer;
  let browser: Browser;
  let buyer: Buyer;

  beforeAll(async () => {
    [server, browser] = await Promise.all([TestServer.start(), launchBrowser()]);
    buyer = await Buyer.open(browser, server.url, EVENT, device, { device: DEVICES[device] });
    await buyer.waitAvailableCount();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it("shows the event's name, date and venue inside the viewport", async () => {
    const viewport = buyer.page.viewportSize();
    if (viewport === null) throw new Error('no viewport');
    const inside = async (selector: string) => {
      const box = await buyer.page.locator(selector).boundingBox();
      expect(box, selector).not.toBeNull();
      if (box === null) return;
      expect(box.x, selector).toBeGreaterThanOrEqual(0);
      expect(box.y, selector).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, selector).toBeLessThanOrEqual(viewport.width);
      expect(box.y + box.height, selector).toBeLessThanOrEqual(viewport.height);
      return box;
    };
    const h1 = await inside('.event-title h1');
    const line = await inside('.event-title p');
    // Readable lines, not a column of one word each: at most two lines of the name…
    expect(h1?.height ?? 0).toBeLessThan(60);
    // …and date and venue across most of the width.
    expect(line?.width ?? 0).toBeGreaterThan(viewport.width * 0.6);
    await buyer.screenshot(`${device}-arena`);
  });

  it('has one legend line per section, each in its own price colour', async () => {
    const event = await getEvent(server.url, EVENT);
    const lines = buyer.page.getByTestId('legend').locator('li[data-section-id]');
    const shown = await lines.evaluateAll((els) =>
      els.map((el) => ({
        id: el.getAttribute('data-section-id'),
        name: el.querySelector('.legend-name')?.textContent,
        color: el.getAttribute('data-color'),
      })),
    );
    expect(shown.map((s) => [s.id, s.name])).toEqual(event.sections.map((s) => [s.id, s.name]));
    const colorOfPrice = new Map<number, string | null>();
    event.sections.forEach((section, i) => {
      const color = shown[i]?.color ?? null;
      if (colorOfPrice.has(section.price)) expect(color).toBe(colorOfPrice.get(section.price));
      colorOfPrice.set(section.price, color);
    });
    expect(new Set(colorOfPrice.values()).size).toBe(colorOfPrice.size);
    const statuses = buyer.page.getByTestId('legend').locator('li[data-status]');
    expect(await statuses.allTextContents()).toEqual([
      'Held by you',
      'Held by another buyer',
      'Sold',
      'Bought by you',
    ]);
  });

  it('states the seat limit before any seat is held', async () => {
    const limit = buyer.page.getByTestId('seat-limit');
    expect(await limit.isVisible()).toBe(true);
    expect(await limit.textContent()).toContain('Up to 8 seats per buyer');
  });

  it('says offline while offline, refuses holds, and clears the error once back', async () => {
    await buyer.context.setOffline(true);
    await buyer.waitConnection('offline', 5_000);
    expect(await buyer.connection.textContent()).toBe('Offline — reconnecting');
    const banner = buyer.page.getByTestId('stale-banner');
    expect(await banner.textContent()).toContain('holds cannot be changed');
    expect(await banner.textContent()).not.toContain('still work');

    await buyer.clickSeat(TAPPED);
    await buyer.waitToast('You are offline');
    expect(await buyer.cartItem(TAPPED).count()).toBe(0);
    await buyer.screenshot(`${device}-offline`);

    await buyer.context.setOffline(false);
    await buyer.waitConnection('live', 10_000);
    expect(await buyer.connection.textContent()).toBe('Live');
    // Well before the toast's own 5 s are up.
    await buyer.toast.filter({ hasText: 'You are offline' }).waitFor({
      state: 'detached',
      timeout: 2_000,
    });
    expect(await banner.count()).toBe(0);
  });

  it('has no serious or critical accessibility finding', async () => {
    const findings = await allAxeFindings(buyer.page);
    expect(findings).toEqual([]);
  });
});
