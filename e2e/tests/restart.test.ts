// The server restarts under two open pages: they show "reconnecting", come back "live" on their
// own (no reload), and show the truth: a sale made before the restart, a sale made by another
// buyer through the API while the pages were disconnected, and the holds the restart ended
// (embedded mode keeps holds in memory; sales are in the ledger in DATA_DIR).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiBuyer, getSeats } from '../support/api.js';
import { Buyer, launchBrowser } from '../support/browser.js';
import { TestServer } from '../support/server.js';

const EVENT = 'arena-demo';
const SOLD_BEFORE = 'F10'; // bought by buyer 1 before the restart
const HELD_BEFORE = 'F11'; // held by buyer 1 before the restart; the restart ends the hold
const SOLD_DURING = 'F12'; // bought through the API by another buyer while the pages are cut off

interface E2eWindow {
  e2eMark: string;
  e2eConnection: { status: string; at: number }[];
}

describe('a server restart', () => {
  let server: TestServer;
  let browser: Browser;
  let buyer1: Buyer;
  let buyer2: Buyer;

  beforeAll(async () => {
    [server, browser] = await Promise.all([TestServer.start(), launchBrowser()]);
    [buyer1, buyer2] = await Promise.all([
      Buyer.open(browser, server.url, EVENT, 'buyer 1'),
      Buyer.open(browser, server.url, EVENT, 'buyer 2'),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('the pages reconnect by themselves and show the truth', async () => {
    // Before: buyer 1 buys one seat and holds another; buyer 2 sees both.
    await buyer1.clickSeat(SOLD_BEFORE);
    await buyer1.cartItem(SOLD_BEFORE, { confirmed: true }).waitFor();
    await buyer1.cart.getByRole('button', { name: 'Buy', exact: true }).click();
    await buyer1.confirmation.waitFor();
    await buyer1.backToMap();
    await buyer1.clickSeat(HELD_BEFORE);
    await buyer1.cartItem(HELD_BEFORE, { confirmed: true }).waitFor();
    await buyer2.expectSeat(SOLD_BEFORE, 'sold');
    await buyer2.expectSeat(HELD_BEFORE, 'held');

    // A mark that a reload would wipe out, and a log of the connection badge's changes.
    for (const buyer of [buyer1, buyer2]) {
      await buyer.page.evaluate(() => {
        const w = window as unknown as E2eWindow;
        w.e2eMark = 'no reload';
        w.e2eConnection = [];
        const badge = document.querySelector('[data-testid="connection"]');
        if (badge === null) throw new Error('no connection badge');
        new MutationObserver(() => {
          w.e2eConnection.push({ status: badge.getAttribute('data-status') ?? '', at: Date.now() });
        }).observe(badge, { attributes: true, attributeFilter: ['data-status'] });
      });
    }
    const navigations: string[] = [];
    for (const buyer of [buyer1, buyer2]) {
      buyer.page.on('framenavigated', (frame) => {
        if (frame.parentFrame() === null) navigations.push(`${buyer.name}: ${frame.url()}`);
      });
    }
    // Buyer 2 points at the seat another buyer will buy while the pages are disconnected.
    await buyer2.expectSeat(SOLD_DURING, 'available');

    await server.stop();
    await Promise.all([
      buyer1.waitConnection('reconnecting', 5_000),
      buyer2.waitConnection('reconnecting', 5_000),
    ]);
    await buyer2.screenshot('restart-reconnecting-buyer2', { keepPointer: true });

    // The restart window: while the pages knock on the usual port in vain, another buyer buys a
    // seat through the API (the server runs on a spare port, on the same data, meanwhile).
    await server.withSpareInstance(async (url) => {
      const other = await ApiBuyer.create(url);
      await other.hold(EVENT, [SOLD_DURING]);
      await other.order(EVENT, [SOLD_DURING], 'e2e-restart-order');
    });
    const restartedAt = Date.now();
    await server.start();
    const readyAfterMs = Date.now() - restartedAt;
    await Promise.all([buyer1, buyer2].map((buyer) => buyer.waitConnection('live', 20_000)));
    // When each page went live again (its badge's log: reconnecting, then live).
    const logs = await Promise.all(
      [buyer1, buyer2].map((buyer) =>
        buyer.page.evaluate(() => (window as unknown as E2eWindow).e2eConnection),
      ),
    );
    for (const log of logs) expect(log[0]?.status).toBe('reconnecting');
    const wentLive = logs.map((log) => log.find((e) => e.status === 'live')?.at ?? Number.NaN);
    console.log(
      `[e2e] restart: ready ${readyAfterMs} ms after start; ` +
        `pages live again ${wentLive.map((t) => t - restartedAt).join(' and ')} ms after start`,
    );

    // The truth, without a reload: both sales sold, the lost hold free and out of buyer 1's cart.
    await buyer2.waitSeat(SOLD_DURING, 'sold', 5_000);
    await buyer2.expectSeat(SOLD_BEFORE, 'sold');
    await buyer2.expectSeat(HELD_BEFORE, 'available');
    await buyer1.expectSeat(SOLD_BEFORE, 'sold-to-me');
    await buyer1.expectSeat(SOLD_DURING, 'sold');
    await buyer1.expectSeat(HELD_BEFORE, 'available');
    await expect.poll(() => buyer1.cartItem(HELD_BEFORE).count()).toBe(0);
    await buyer1.waitToast('Your hold on Row F, seat 11 ended; it is no longer held for you.');

    for (const buyer of [buyer1, buyer2]) {
      expect(await buyer.page.evaluate(() => (window as unknown as E2eWindow).e2eMark)).toBe(
        'no reload',
      );
    }
    expect(navigations).toEqual([]);

    const seats = await getSeats(server.url, EVENT);
    expect(seats.sold.sort()).toEqual([SOLD_BEFORE, SOLD_DURING].sort());
    expect(seats.held).toEqual([]);
    await Promise.all([buyer1.waitAvailableCount(), buyer2.waitAvailableCount()]);
    await buyer1.screenshot('restart-live-buyer1');
    await buyer2.screenshot('restart-live-buyer2');
    expect([...buyer1.pageErrors, ...buyer2.pageErrors]).toEqual([]);
  });
});
