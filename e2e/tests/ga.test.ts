// General admission in the browser: an event with a standing floor beside its seats. A buyer on
// a phone opens the floor, holds 2 with the stepper; a second buyer sees the count drop within a
// second; the cart lists "Standing floor × 2"; Buy; the order's page lists the two places. A
// refusal for want of places is said with how many are left. Screenshots on a phone and a
// desktop, axe with no violations.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { CreateEventRequest } from '@ticketmain/protocol';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, getSeats, type EventDetail } from '../support/api.js';
import { allAxeFindings } from '../support/axe.js';
import { Buyer, DEVICES, launchBrowser } from '../support/browser.js';
import { REPO_ROOT, TestServer } from '../support/server.js';

const DOCS_SHOTS = join(REPO_ROOT, 'docs/screenshots');
const CAPACITY = 1_204;
const FLOOR_PRICE = 4_500;
const BALCONY_SEATS = 10;

function newEvent(): CreateEventRequest {
  const seats = Array.from({ length: BALCONY_SEATS }, (_, i) => ({
    id: `A${i + 1}`,
    number: i + 1,
    x: i * 2,
    y: 24,
  }));
  return {
    id: `ga-e2e-${randomUUID().slice(0, 8)}`,
    name: 'Floor Night',
    startsAt: '2031-06-01T20:00:00.000Z',
    currency: 'USD',
    venue: {
      name: 'Floor Hall',
      stage: { x: 0, y: -6, width: 18, height: 4, label: 'Stage' },
      sections: [
        {
          id: 'floor',
          name: 'Standing floor',
          price: FLOOR_PRICE,
          capacity: CAPACITY,
          area: { x: 0, y: 0, width: 18, height: 20 },
        },
        { id: 'balcony', name: 'Balcony', price: 6_000, rows: [{ label: 'A', seats }] },
      ],
    },
  };
}

describe('general admission', () => {
  let server: TestServer;
  let browser: Browser;
  let event: EventDetail;
  const buyers: Buyer[] = [];

  async function open(name: string, device: 'phone' | 'desktop'): Promise<Buyer> {
    const buyer = await Buyer.open(browser, server.url, event.id, name, {
      device: DEVICES[device],
    });
    buyers.push(buyer);
    return buyer;
  }

  const floorOf = (buyer: Buyer) => buyer.page.locator('[data-testid="ga-area"]');
  const available = async (buyer: Buyer) =>
    Number(await floorOf(buyer).getAttribute('data-available'));

  beforeAll(async () => {
    [server, browser] = await Promise.all([TestServer.start(), launchBrowser()]);
    event = await createEvent(server.url, newEvent());
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('holds 2 on the floor from a phone; another buyer sees the count drop; buys them', async () => {
    const phone = await open('phone', 'phone');
    const watcher = await open('watcher', 'desktop');
    const floor = floorOf(phone);
    await expect.poll(() => available(phone)).toBe(CAPACITY);
    await expect(floor.getAttribute('aria-label')).resolves.toBe(
      'Standing floor, $45, 1,204 places left',
    );
    await expect.poll(() => available(watcher)).toBe(CAPACITY);

    await floor.tap();
    const card = phone.page.getByTestId('ga-card');
    await card.waitFor();
    const quantity = card.getByRole('spinbutton', { name: 'Places' });
    await expect(quantity.inputValue()).resolves.toBe('1');
    await expect(card.getByRole('button', { name: 'One place fewer' }).isDisabled()).resolves.toBe(
      true,
    );
    await card.getByRole('button', { name: 'One place more' }).tap();
    await expect(quantity.inputValue()).resolves.toBe('2');
    await card.getByRole('button', { name: 'Hold 2' }).tap();
    const tapped = Date.now();
    await expect
      .poll(() => card.getByTestId('ga-outcome').textContent())
      .toBe('2 places held in Standing floor.');

    // The other buyer's floor drops within a second of the hold's answer.
    await expect
      .poll(() => available(watcher), { timeout: 1_000, interval: 50 })
      .toBe(CAPACITY - 2);
    console.info(
      `[ga] the other browser saw the count drop ${Date.now() - tapped} ms after the tap`,
    );
    await expect.poll(() => available(phone)).toBe(CAPACITY - 2);
    await expect(floorOf(watcher).textContent()).resolves.toContain('1,202 places left');
    // The header counts places with seats.
    const left = (CAPACITY - 2 + BALCONY_SEATS).toLocaleString('en-US');
    const all = (CAPACITY + BALCONY_SEATS).toLocaleString('en-US');
    await expect
      .poll(() => watcher.page.locator('.available-count').textContent())
      .toContain(`${left} of ${all} seats and places available`);

    const line = phone.cart.locator('li[data-section-id="floor"]');
    await expect(line.locator('.item-label').textContent()).resolves.toBe('Standing floor × 2');
    await expect(line.locator('.item-price').textContent()).resolves.toBe('$90');
    const placeIds = ((await line.getAttribute('data-place-ids')) ?? '').split(' ').sort();
    expect(placeIds).toHaveLength(2);
    const snapshot = await getSeats(server.url, event.id, await phone.token());
    expect(snapshot.mine.map((h) => h.seatId).sort()).toEqual(placeIds);
    expect(snapshot.ga).toEqual([
      { sectionId: 'floor', capacity: CAPACITY, available: CAPACITY - 2 },
    ]);

    const bar = phone.page.getByTestId('buy-bar');
    await expect(bar.textContent()).resolves.toContain('2 tickets · $90');
    await phone.page.screenshot({ path: join(DOCS_SHOTS, 'phone-ga.png') });
    await phone.screenshot('ga-phone-held');
    expect(await allAxeFindings(phone.page)).toEqual([]);
    await watcher.screenshot('ga-desktop-watcher');
    expect(await allAxeFindings(watcher.page)).toEqual([]);

    await bar.getByRole('button', { name: 'Buy 2 tickets for $90' }).tap();
    const order = phone.page.getByTestId('order');
    await order.waitFor({ timeout: 10_000 });
    const confirmed = await phone.confirmation.locator('.item-label').allTextContents();
    expect(confirmed).toEqual(['General admission', 'General admission']);
    const tickets = order.getByTestId('ticket');
    await expect(tickets.count()).resolves.toBe(2);
    const sold = await tickets.evaluateAll((els) =>
      els.map((el) => el.getAttribute('data-seat-id')),
    );
    expect(sold.sort()).toEqual(placeIds);
    for (const text of await tickets.allTextContents()) {
      expect(text).toContain('General admission');
      expect(text).toContain('Standing floor');
      expect(text).toContain('$45');
    }
    await phone.screenshot('ga-phone-order');
    expect(await allAxeFindings(phone.page)).toEqual([]);
    await expect.poll(() => available(watcher)).toBe(CAPACITY - 2);
    expect(phone.pageErrors).toEqual([]);
    expect(watcher.pageErrors).toEqual([]);
  });

  it('releases held places from the cart, keyboard only, on a desktop', async () => {
    const buyer = await open('keys', 'desktop');
    const floor = floorOf(buyer);
    await floor.focus();
    await buyer.page.keyboard.press('Enter');
    const card = buyer.page.getByTestId('ga-card');
    await card.waitFor();
    await card.getByRole('spinbutton', { name: 'Places' }).fill('3');
    await card.getByRole('button', { name: 'Hold 3' }).press('Enter');
    const line = buyer.cart.locator('li[data-section-id="floor"]');
    await line.waitFor();
    await expect(line.locator('.item-label').textContent()).resolves.toBe('Standing floor × 3');
    await expect.poll(() => available(buyer)).toBe(CAPACITY - 5);
    await expect(floor.getAttribute('aria-label')).resolves.toBe(
      'Standing floor, $45, 1,199 places left, you hold 3',
    );
    await buyer.screenshot('ga-desktop-held');
    expect(await allAxeFindings(buyer.page)).toEqual([]);

    await line.getByRole('button', { name: 'Release Standing floor × 3' }).click();
    await line.waitFor({ state: 'detached' });
    await expect.poll(() => available(buyer)).toBe(CAPACITY - 2);
    const snapshot = await getSeats(server.url, event.id, await buyer.token());
    expect(snapshot.mine).toEqual([]);
    expect(buyer.pageErrors).toEqual([]);
  });
});
