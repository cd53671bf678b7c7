// Two buyers fight over the 900-seat arena in two browser contexts, then a third buys with the
// keyboard only. One server (default hold time) for the three scenarios, each on its own seats.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrder, getSeats } from '../support/api.js';
import { Buyer, launchBrowser } from '../support/browser.js';
import { TestServer } from '../support/server.js';

const EVENT = 'arena-demo';
/** Buyer 1's seat, fought over and then bought: VIP Centre, $500. */
const CONTESTED = 'C16';
/** Buyer 2's own hold, so that each view shows the other's hold. */
const OTHER = 'D18';

describe('the arena seat map, two buyers and a keyboard user', () => {
  let server: TestServer;
  let browser: Browser;
  let buyer1: Buyer;
  let buyer2: Buyer;

  beforeAll(async () => {
    [server, browser] = await Promise.all([TestServer.start(), launchBrowser()]);
    buyer1 = await Buyer.open(browser, server.url, EVENT, 'buyer 1', { viaList: true });
    buyer2 = await Buyer.open(browser, server.url, EVENT, 'buyer 2');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('buyer 2 sees buyer 1 hold a seat within 1 s, and cannot hold it', async () => {
    // Buyer 2 points at the seat: its announced status is what buyer 2's map shows for it.
    await buyer2.expectSeat(CONTESTED, 'available');
    const [token1, token2] = await Promise.all([buyer1.token(), buyer2.token()]);
    expect(token1).not.toBe(token2); // two contexts, two sessions

    const clicked = Date.now();
    await buyer1.clickSeat(CONTESTED);
    await buyer2.waitSeat(CONTESTED, 'held', 1_000);
    const seenAfterMs = Date.now() - clicked;
    console.log(`[e2e] buyer 2 saw ${CONTESTED} held ${seenAfterMs} ms after buyer 1's click`);
    expect(seenAfterMs).toBeLessThan(1_000);

    // Buyer 1's own view: held by me, in the cart with its section and price, a countdown.
    await buyer1.waitSeat(CONTESTED, 'held-by-me');
    await expect
      .poll(() => buyer1.announced().then((a) => a.text))
      .toBe('Row C, seat 16, VIP Centre, $500, held by you');
    const line = buyer1.cartItem(CONTESTED);
    await buyer1.cartItem(CONTESTED, { confirmed: true }).waitFor();
    expect(await line.textContent()).toContain('VIP Centre');
    expect(await line.textContent()).toContain('$500');
    expect(Number(await buyer1.countdown.getAttribute('data-remaining-seconds'))).toBeGreaterThan(
      200,
    );

    // Buyer 2 tries the same seat: the server says no, and a message says why.
    await buyer2.clickSeat(CONTESTED);
    await buyer2.waitToast('Seat already held by another user');
    await buyer2.waitSeat(CONTESTED, 'held');
    expect(await buyer2.cartItem(CONTESTED).count()).toBe(0);

    // Buyer 2 holds a seat of its own, which buyer 1 sees held by someone else.
    await buyer2.clickSeat(OTHER);
    await buyer2.cartItem(OTHER, { confirmed: true }).waitFor();
    await buyer1.expectSeat(OTHER, 'held', 1_000);

    const seats = await getSeats(server.url, EVENT);
    expect(seats.held.sort()).toEqual([CONTESTED, OTHER].sort());
    await Promise.all([buyer1.waitAvailableCount(), buyer2.waitAvailableCount()]);
    await buyer1.screenshot('arena-held-buyer1');
    await buyer2.screenshot('arena-held-buyer2');
  });

  it('buyer 1 buys the seat: buyer 2 sees it sold, buyer 1 sees the confirmation', async () => {
    await buyer2.expectSeat(CONTESTED, 'held');
    // A double click on Buy must still place one order (one idempotency key, button disabled).
    await buyer1.cart.getByRole('button', { name: 'Buy', exact: true }).dblclick();
    await buyer1.confirmation.waitFor();
    await buyer2.waitSeat(CONTESTED, 'sold', 1_000);

    const orderId = await buyer1.confirmation.getAttribute('data-order-id');
    expect(orderId).toBeTruthy();
    const text = (await buyer1.confirmation.textContent()) ?? '';
    expect(text).toContain(orderId ?? '');
    expect(text).toContain('Order confirmed');
    expect(text).toContain('Row C, seat 16');
    expect(text).toContain('VIP Centre');
    expect(await buyer1.confirmation.locator('.cart-total').textContent()).toBe('Total paid$500');

    // The server agrees: one order with that seat and total, the seat sold.
    const order = await getOrder(server.url, await buyer1.token(), orderId ?? '');
    expect(order.seats.map((s) => s.seatId)).toEqual([CONTESTED]);
    expect(order.total).toBe(50_000);
    const seats = await getSeats(server.url, EVENT, await buyer1.token());
    expect(seats.sold).toEqual([CONTESTED]);
    expect(seats.mine).toEqual([]);

    // The confirmation is the order's page; Choose more seats goes back to the map.
    expect(new URL(buyer1.page.url()).pathname).toBe(`/orders/${orderId}`);
    await buyer1.screenshot('arena-confirmation-buyer1');
    await buyer1.backToMap();
    await buyer1.expectSeat(CONTESTED, 'sold-to-me');
    expect(await buyer1.cartItem(CONTESTED).count()).toBe(0);
    await buyer2.expectSeat(CONTESTED, 'sold');
    await Promise.all([buyer1.waitAvailableCount(), buyer2.waitAvailableCount()]);
    await buyer2.screenshot('arena-sold-buyer2');
    expect([...buyer1.pageErrors, ...buyer2.pageErrors]).toEqual([]);
  });

  it('a keyboard-only buyer holds and buys a seat without the mouse', async () => {
    const buyer3 = await Buyer.open(browser, server.url, EVENT, 'buyer 3');
    const { page } = buyer3;
    const active = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return {
          testId: el?.getAttribute('data-testid') ?? null,
          name: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '',
        };
      });

    // Tab to the map: focus starts on the seat nearest the middle of the stage, A15.
    for (let i = 0; i < 10 && (await active()).testId !== 'seat-map'; i++)
      await page.keyboard.press('Tab');
    expect((await active()).testId).toBe('seat-map');
    await buyer3.waitSeat('A15', 'available');

    // Two rows back, one seat left: B15, C15, then C14.
    await page.keyboard.press('ArrowDown');
    await buyer3.waitSeat('B15', 'available');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowLeft');
    await buyer3.waitSeat('C14', 'available');
    expect((await buyer3.announced()).text).toBe('Row C, seat 14, VIP Centre, $500, available');

    await buyer3.waitAvailableCount();
    await buyer3.screenshot('arena-keyboard-focus', { keepPointer: true });
    await page.keyboard.press('Enter');
    await buyer3.waitSeat('C14', 'held-by-me');
    await buyer3.cartItem('C14', { confirmed: true }).waitFor();

    // Space releases, Space holds again.
    await page.keyboard.press(' ');
    await buyer3.waitSeat('C14', 'available');
    await expect.poll(() => buyer3.cartItem('C14').count()).toBe(0);
    await page.keyboard.press(' ');
    await buyer3.waitSeat('C14', 'held-by-me');
    await buyer3.cartItem('C14', { confirmed: true }).waitFor();

    // Tab on to the Buy button (past the zoom buttons and the seat's Release button), Enter.
    for (let i = 0; i < 12 && (await active()).name !== 'Buy'; i++)
      await page.keyboard.press('Tab');
    expect(await active()).toEqual({ testId: null, name: 'Buy' });
    await page.keyboard.press('Enter');
    await buyer3.confirmation.waitFor();
    const text = (await buyer3.confirmation.textContent()) ?? '';
    expect(text).toContain('Row C, seat 14');
    expect(text).toContain((await buyer3.confirmation.getAttribute('data-order-id')) ?? '?');

    const seats = await getSeats(server.url, EVENT);
    expect(seats.sold.sort()).toEqual(['C14', CONTESTED].sort());
    // The confirmation's heading has the focus: the keyboard user starts there.
    expect((await active()).name).toContain('Order confirmed');
    await buyer3.screenshot('arena-keyboard-confirmation', { keepPointer: true });
    expect(buyer3.pageErrors).toEqual([]);
    await buyer3.close();
  });
});
