// A hold that runs out: with HOLD_TTL_SECONDS=3 buyer 1's seat leaves the cart with a message, and
// buyer 2, watching it, sees it free again and holds it.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSeats } from '../support/api.js';
import { Buyer, launchBrowser } from '../support/browser.js';
import { TestServer } from '../support/server.js';

const EVENT = 'arena-demo';
const SEAT = 'H20'; // Premium, $250
const TTL_SECONDS = 3;

describe('a hold that expires', () => {
  let server: TestServer;
  let browser: Browser;
  let buyer1: Buyer;
  let buyer2: Buyer;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      TestServer.start({ HOLD_TTL_SECONDS: String(TTL_SECONDS) }),
      launchBrowser(),
    ]);
    [buyer1, buyer2] = await Promise.all([
      Buyer.open(browser, server.url, EVENT, 'buyer 1'),
      Buyer.open(browser, server.url, EVENT, 'buyer 2'),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('leaves buyer 1 cart with a message and becomes available for buyer 2', async () => {
    await buyer2.expectSeat(SEAT, 'available');
    await buyer1.clickSeat(SEAT);
    await buyer1.cartItem(SEAT, { confirmed: true }).waitFor();
    const heldAt = Date.now();
    await buyer2.waitSeat(SEAT, 'held', 1_000);
    const remaining = Number(await buyer1.countdown.getAttribute('data-remaining-seconds'));
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(TTL_SECONDS);
    await buyer1.screenshot('expiry-held-buyer1');

    // The time must pass: the seat leaves the cart, and buyer 1 is told why.
    await buyer1.waitToast('Your hold on Row H, seat 20 expired; the seat was released.', 10_000);
    const expiredAfterMs = Date.now() - heldAt;
    await expect.poll(() => buyer1.cartItem(SEAT).count()).toBe(0);
    await expect(buyer1.countdown.count()).resolves.toBe(0);
    console.log(`[e2e] ${SEAT} left buyer 1's cart ${expiredAfterMs} ms after the hold`);
    expect(expiredAfterMs).toBeGreaterThan((TTL_SECONDS - 1) * 1000);

    // Buyer 2, still pointing at it, sees it free (the server's sweeper released it) and holds it.
    await buyer2.waitSeat(SEAT, 'available', 3_000);
    await buyer1.expectSeat(SEAT, 'available');
    await buyer2.clickSeat(SEAT);
    await buyer2.cartItem(SEAT, { confirmed: true }).waitFor();
    const seats = await getSeats(server.url, EVENT, await buyer2.token());
    expect(seats.mine?.map((h) => h.seatId)).toEqual([SEAT]);
    await buyer2.waitSeat(SEAT, 'held-by-me');
    await buyer1.waitSeat(SEAT, 'held', 1_000);
    await buyer2.screenshot('expiry-reheld-buyer2');
    await buyer1.screenshot('expiry-released-buyer1');
    expect([...buyer1.pageErrors, ...buyer2.pageErrors]).toEqual([]);
  });
});
