// The waiting list in Chromium, on a phone and on the desktop: a small event sells out through
// the API; a buyer opens its page, which offers "Join the waiting list", joins for two seats and
// sees their place; the organiser cancels an order; the page shows the offer (the seats held in
// the cart, the offer's countdown) and the buyer buys them.
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { TicketmainClient } from '@ticketmain/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiBuyer, createEvent } from '../support/api.js';
import { allAxeFindings } from '../support/axe.js';
import { Buyer, DEVICES, launchBrowser } from '../support/browser.js';
import { ADMIN_TOKEN, TestServer } from '../support/server.js';

const SEATS = ['W1', 'W2', 'W3', 'W4'];

async function smallEvent(url: string): Promise<string> {
  const event = await createEvent(url, {
    id: `waitlist-e2e-${randomUUID().slice(0, 8)}`,
    name: 'Waiting List Night',
    startsAt: '2031-06-01T20:00:00.000Z',
    currency: 'USD',
    venue: {
      name: 'Small Hall',
      stage: { x: 0, y: -4, width: 4, height: 2, label: 'Stage' },
      sections: [
        {
          id: 'main',
          name: 'Main',
          price: 3_000,
          rows: [
            {
              label: 'A',
              seats: SEATS.map((id, i) => ({ id, number: i + 1, x: i, y: 0 })),
            },
          ],
        },
      ],
    },
  });
  return event.id;
}

describe('the waiting list', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([TestServer.start(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it.each(['desktop', 'phone'] as const)(
    'joins a sold-out event, is offered the seats of a cancellation and buys them (%s)',
    async (device) => {
      const eventId = await smallEvent(server.url);
      const first = await ApiBuyer.create(server.url);
      const second = await ApiBuyer.create(server.url);
      await first.hold(eventId, ['W2', 'W3']);
      const cancelled = await first.order(eventId, ['W2', 'W3'], randomUUID());
      await second.hold(eventId, ['W1', 'W4']);
      await second.order(eventId, ['W1', 'W4'], randomUUID());

      const buyer = await Buyer.open(browser, server.url, eventId, `waiting-${device}`, {
        device: DEVICES[device],
      });
      const panel = buyer.page.getByTestId('waitlist');
      await panel.getByRole('heading', { name: 'Sold out' }).waitFor();
      await panel.getByLabel('Seats').selectOption('2');
      await panel.getByRole('button', { name: 'Join the waiting list' }).click();
      const position = buyer.page.getByTestId('waitlist-position');
      await position.waitFor();
      expect(await position.textContent()).toContain('number 1 on the waiting list for 2 seats');
      expect(await allAxeFindings(buyer.page)).toEqual([]);
      await panel.scrollIntoViewIfNeeded();
      await buyer.screenshot(`${device}-waitlist-waiting`);

      const admin = new TicketmainClient({ baseUrl: server.url, adminToken: ADMIN_TOKEN });
      await admin.adminCancelOrder(cancelled.orderId);
      await buyer.page.getByTestId('waitlist-offer').waitFor({ timeout: 15_000 });
      for (const seat of ['W2', 'W3']) {
        await buyer.cartItem(seat, { confirmed: true }).waitFor({ timeout: 10_000 });
      }
      // The offer's end, in the panel and in the cart alike.
      const countdown = buyer.page.getByTestId('waitlist-countdown');
      expect(await countdown.textContent()).toMatch(/Offer ends in1[45]:\d\d/);
      const cartSeconds = Number(
        await buyer.cart.getByTestId('countdown').getAttribute('data-remaining-seconds'),
      );
      expect(cartSeconds).toBeGreaterThan(800);
      expect(cartSeconds).toBeLessThanOrEqual(900);
      expect(await allAxeFindings(buyer.page)).toEqual([]);
      await panel.scrollIntoViewIfNeeded();
      await buyer.screenshot(`${device}-waitlist-offered`);

      if (device === 'phone') {
        await buyer.page.getByTestId('buy-bar').getByRole('button').tap();
      } else {
        await buyer.cart.getByRole('button', { name: 'Buy', exact: true }).click();
      }
      await buyer.confirmation.waitFor({ timeout: 15_000 });
      expect(buyer.pageErrors).toEqual([]);
      await buyer.close();
    },
  );
});
