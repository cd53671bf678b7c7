// More time before a hold runs out: with HOLD_TTL_SECONDS=8 the warning shows at once (under
// 60 s), More time puts the countdown back up once, and the expiry message stays until dismissed.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAxeFindings } from '../support/axe.js';
import { Buyer, launchBrowser, SCREENSHOT_DIR, VIEWPORT } from '../support/browser.js';
import { TestServer } from '../support/server.js';

const EVENT = 'arena-demo';
const SEAT = 'H21';
// Long enough for the accessibility checks to run while the warning is up.
const TTL_SECONDS = 8;
const WARNING = 'Your seats are held for 1 more minute';
const EXPIRED = 'Your hold on Row H, seat 21 expired; the seat was released.';
const PHONE = { width: 390, height: 844 };

describe('asking for more time before a hold expires', () => {
  let server: TestServer;
  let browser: Browser;
  let buyer: Buyer;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      TestServer.start({ HOLD_TTL_SECONDS: String(TTL_SECONDS) }),
      launchBrowser(),
    ]);
    // bypassCSP: axe's source goes in as an inline script.
    buyer = await Buyer.open(browser, server.url, EVENT, 'buyer', {
      device: { viewport: VIEWPORT, bypassCSP: true },
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const remaining = async () =>
    Number(await buyer.countdown.getAttribute('data-remaining-seconds'));

  it('warns, extends once, then keeps the expiry message until it is dismissed', async () => {
    const { page } = buyer;
    const warning = page.getByTestId('hold-warning');
    await buyer.clickSeat(SEAT);
    await buyer.cartItem(SEAT, { confirmed: true }).waitFor();

    // The warning is shown and announced politely, once, not each second.
    await warning.getByText(WARNING).waitFor({ timeout: 2_000 });
    const announcer = page.getByTestId('hold-announcer');
    await expect(announcer.getAttribute('aria-live')).resolves.toBe('polite');
    await expect(announcer.textContent()).resolves.toBe(`${WARNING}.`);
    await expect(buyer.countdown.getAttribute('role')).resolves.toBe('timer');
    await buyer.screenshot('hold-extension-warning-desktop');
    expect(await allAxeFindings(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/hold-extension-warning-phone.png` });
    expect(await allAxeFindings(page)).toEqual([]);

    await expect.poll(remaining, { timeout: 8_000 }).toBeLessThanOrEqual(TTL_SECONDS - 2);
    const before = await remaining();
    await warning.getByRole('button', { name: 'More time' }).click();
    // Granted: the banner goes, the countdown is back up to the full hold time.
    await warning.waitFor({ state: 'detached', timeout: 2_000 });
    expect(await remaining()).toBeGreaterThan(before);
    expect(await remaining()).toBeGreaterThanOrEqual(TTL_SECONDS - 1);

    // Offered once: the banner does not come back for these holds.
    await sleep(1_000);
    await expect(warning.count()).resolves.toBe(0);
    await buyer.waitToast(EXPIRED, 15_000);
    await expect.poll(() => buyer.cartItem(SEAT).count()).toBe(0);
    // Longer than any passing message: this one stays until the buyer dismisses it.
    await sleep(7_000);
    await expect(buyer.toast.getByText(EXPIRED).count()).resolves.toBe(1);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/hold-extension-expired-phone.png` });
    expect(await allAxeFindings(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
    await buyer.screenshot('hold-extension-expired-desktop');
    await buyer.toast.getByRole('button', { name: 'Dismiss message' }).click();
    await expect.poll(() => buyer.toast.getByText(EXPIRED).count()).toBe(0);
    expect(buyer.pageErrors).toEqual([]);
  });
});
