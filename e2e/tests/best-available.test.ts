// "Best available" in the browser: two seats side by side held, shown in the cart and ringed on
// the map; the price filter keeps to the seats at or under it; NO_SEATS_AVAILABLE and the
// lone-seat rule said in words; the phone's form below the map, the map brought back to the
// seats. Screenshots on a phone and a desktop, axe with no violations.
import { randomUUID } from 'node:crypto';
import type { CreateEventRequest, LayoutSection } from '@ticketmain/protocol';
import { TicketmainClient } from '@ticketmain/client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, getSeats, type EventDetail } from '../support/api.js';
import { allAxeFindings } from '../support/axe.js';
import { Buyer, DEVICES, launchBrowser } from '../support/browser.js';
import { ADMIN_TOKEN, TestServer } from '../support/server.js';

const ROWS = 'ABCDEF';
const FRONT_PRICE = 9_000;
const BACK_PRICE = 4_000;

/** `rows` rows of `perRow` seats, one unit apart, starting at (x0, y0); ids `<id>-<row><n>`. */
function section(id: string, price: number, rows: number, perRow: number, x0: number, y0: number) {
  return {
    id,
    name: id,
    price,
    rows: Array.from({ length: rows }, (_, r) => ({
      label: ROWS[r] ?? String(r + 1),
      seats: Array.from({ length: perRow }, (_, i) => ({
        id: `${id}-${ROWS[r]}${i + 1}`,
        number: i + 1,
        x: x0 + i,
        y: y0 + r,
      })),
    })),
  } satisfies LayoutSection;
}

/** Section A (6 a row, the dearer, nearer the stage) in front of section B (14 a row). */
function newEvent(): CreateEventRequest {
  return {
    id: `best-e2e-${randomUUID().slice(0, 8)}`,
    name: 'Best Seats Night',
    startsAt: '2031-06-01T20:00:00.000Z',
    currency: 'USD',
    venue: {
      name: 'Best Hall',
      stage: { x: 2, y: -5, width: 10, height: 3, label: 'Stage' },
      focus: { x: 6.5, y: 0 },
      sections: [section('A', FRONT_PRICE, 4, 6, 4, 0), section('B', BACK_PRICE, 6, 14, 0, 5)],
    },
  };
}

describe('best available', () => {
  let server: TestServer;
  let browser: Browser;
  let event: EventDetail;
  const buyers: Buyer[] = [];
  const seatOf = (id: string) => {
    const seat = event.seats.find((s) => s.id === id);
    if (seat === undefined) throw new Error(`no seat ${id}`);
    return seat;
  };
  const priceOf = (id: string) =>
    event.sections.find((s) => s.id === seatOf(id).sectionId)?.price ?? NaN;

  async function open(name: string, device: 'phone' | 'desktop'): Promise<Buyer> {
    const buyer = await Buyer.open(browser, server.url, event.id, name, {
      device: DEVICES[device],
    });
    buyers.push(buyer);
    return buyer;
  }

  /** The seats the cart lists as held (confirmed by the server). */
  async function cartSeats(buyer: Buyer): Promise<string[]> {
    const items = buyer.cart.locator('ul[aria-label="Held seats"] li:not(.is-pending)');
    const ids = await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-seat-id')));
    return ids.filter((id): id is string => id !== null).sort();
  }

  async function highlighted(buyer: Buyer): Promise<string[]> {
    const ids = (await buyer.map.getAttribute('data-highlighted')) ?? '';
    return ids.split(' ').filter(Boolean).sort();
  }

  /** Picks in the form and presses Best available; returns what the status then says. */
  async function bestAvailable(
    buyer: Buyer,
    choice: { quantity: number; maxPrice?: string; section?: string },
  ): Promise<string> {
    const form = buyer.page.getByTestId('best-available');
    const status = buyer.page.getByTestId('best-status');
    const before = (await status.textContent()) ?? '';
    await form.getByLabel('Seats').selectOption(String(choice.quantity));
    await form.getByLabel('Price').selectOption({ label: choice.maxPrice ?? 'Any price' });
    await form.getByLabel('Section').selectOption({ label: choice.section ?? 'Any section' });
    await form.getByRole('button', { name: 'Best available' }).click();
    await expect
      .poll(async () => (await status.textContent()) ?? '', { timeout: 10_000 })
      .not.toBe(before);
    await form.getByRole('button', { name: 'Best available' }).waitFor();
    return (await status.textContent()) ?? '';
  }

  function expectSideBySide(ids: string[]): void {
    const seats = ids.map(seatOf).sort((a, b) => a.number - b.number);
    for (const [i, seat] of seats.entries()) {
      expect(seat.sectionId).toBe(seats[0]!.sectionId);
      expect(seat.row).toBe(seats[0]!.row);
      expect(seat.number).toBe(seats[0]!.number + i);
    }
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([TestServer.start(), launchBrowser()]);
    event = await createEvent(server.url, newEvent());
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('holds two seats side by side, lists them in the cart and rings them on the map', async () => {
    const buyer = await open('pair', 'desktop');
    const fitted = await buyer.mapScale();
    const status = await bestAvailable(buyer, { quantity: 2 });
    await expect.poll(() => cartSeats(buyer)).toHaveLength(2);
    const held = await cartSeats(buyer);
    expectSideBySide(held);
    const [first, second] = held.map(seatOf).sort((a, b) => a.number - b.number);
    expect(status).toBe(
      `2 seats held: Section ${first!.sectionId}, row ${first!.row}, ` +
        `seats ${first!.number}–${second!.number}.`,
    );
    const live = buyer.page.getByTestId('best-status');
    await expect(live.getAttribute('aria-live')).resolves.toBe('polite');
    await expect(live.getAttribute('role')).resolves.toBe('status');
    expect(await highlighted(buyer)).toEqual(held);
    for (const id of held) await buyer.expectSeat(id, 'held-by-me');
    // In view, both inside the map; never further out (this hall's seats are big already).
    expect(await buyer.mapScale()).toBeGreaterThanOrEqual(fitted);
    const box = await buyer.map.boundingBox();
    for (const id of held) {
      const p = await buyer.seatPoint(id);
      expect(p.x).toBeGreaterThan(box!.x);
      expect(p.x).toBeLessThan(box!.x + box!.width);
      expect(p.y).toBeGreaterThan(box!.y);
      expect(p.y).toBeLessThan(box!.y + box!.height);
    }
    // The server holds exactly these for the buyer.
    const snapshot = await getSeats(server.url, event.id, await buyer.token());
    expect(snapshot.mine.map((h) => h.seatId).sort()).toEqual(held);
    await buyer.screenshot('best-available-pair-desktop');
    expect(await allAxeFindings(buyer.page)).toEqual([]);
    expect(buyer.pageErrors).toEqual([]);
  });

  it('keeps to the price chosen, and says when no seats match', async () => {
    const buyer = await open('cheap', 'desktop');
    const none = await bestAvailable(buyer, { quantity: 8, section: 'A' });
    expect(none).toBe(
      'No 8 seats side by side are left in Section A. Try fewer seats or another section.',
    );
    expect(await cartSeats(buyer)).toEqual([]);
    await buyer.screenshot('best-available-none-desktop');
    expect(await allAxeFindings(buyer.page)).toEqual([]);

    const status = await bestAvailable(buyer, { quantity: 4, maxPrice: 'Up to $40' });
    expect(status).toMatch(/^4 seats held: Section B, row A, seats \d+–\d+\.$/);
    await expect.poll(() => cartSeats(buyer)).toHaveLength(4);
    const held = await cartSeats(buyer);
    expectSideBySide(held);
    for (const id of held) expect(priceOf(id)).toBeLessThanOrEqual(BACK_PRICE);
    expect(await highlighted(buyer)).toEqual(held);
    expect(buyer.pageErrors).toEqual([]);
  });

  it('says which seat a hold would leave alone while the rule is on', async () => {
    const admin = new TicketmainClient({ baseUrl: server.url, adminToken: ADMIN_TOKEN });
    const patched = await admin.updateEventRules(event.id, { singleSeatRule: true });
    expect(patched.rules.singleSeatRule).toBe(true);
    const buyer = await open('lone', 'desktop');
    // Row F of B is empty: seat 2 alone would leave seat 1 alone against the wall.
    await buyer.clickSeat('B-F2');
    const message = 'That would leave row F, seat 1 alone; choose it too or another seat.';
    await buyer.waitToast(message);
    await expect.poll(() => cartSeats(buyer)).toEqual([]);
    await buyer.expectSeat('B-F2', 'available');
    await buyer.screenshot('best-available-lone-seat-desktop');
    expect(await allAxeFindings(buyer.page)).toEqual([]);
    // Choosing it too is allowed: seat 1, then seat 2.
    await buyer.clickSeat('B-F1');
    await buyer.cartItem('B-F1', { confirmed: true }).waitFor();
    await buyer.clickSeat('B-F2');
    await buyer.cartItem('B-F2', { confirmed: true }).waitFor();
    // Best available never leaves one either: the pair it picks keeps every neighbour company.
    const status = await bestAvailable(buyer, { quantity: 2, section: 'A' });
    expect(status).toMatch(/^2 seats held: Section A/);
    const snapshot = await getSeats(server.url, event.id);
    const taken = new Set([...snapshot.held, ...snapshot.sold]);
    const lone = event.seats.filter((seat) => {
      if (taken.has(seat.id)) return false;
      const free = (n: number) => {
        const next = event.seats.find(
          (s) => s.sectionId === seat.sectionId && s.row === seat.row && s.number === n,
        );
        return next !== undefined && !taken.has(next.id);
      };
      return !free(seat.number - 1) && !free(seat.number + 1);
    });
    expect(lone.map((s) => s.id)).toEqual([]);
    expect(buyer.pageErrors).toEqual([]);
  });

  it('on a phone: the form below the map, the map brought back to the seats it held', async () => {
    const buyer = await open('phone', 'phone');
    const { page } = buyer;
    const viewport = page.viewportSize()!;
    await buyer.screenshot('best-available-phone');
    // Below the map, never over it.
    const map = (await buyer.map.boundingBox())!;
    const form = (await page.getByTestId('best-available').boundingBox())!;
    expect(form.y).toBeGreaterThanOrEqual(map.y + map.height);
    expect(await allAxeFindings(page)).toEqual([]);

    const fitted = await buyer.mapScale();
    const status = await bestAvailable(buyer, { quantity: 2 });
    expect(status).toMatch(/^2 seats held: /);
    await expect.poll(() => cartSeats(buyer)).toHaveLength(2);
    const held = await cartSeats(buyer);
    expectSideBySide(held);
    expect(await highlighted(buyer)).toEqual(held);
    expect(await buyer.mapScale()).toBeGreaterThan(fitted);
    // The page scrolled back to the map: the seats are on the screen, above the buy bar.
    await expect
      .poll(async () => {
        const bar = await page.getByTestId('buy-bar').boundingBox();
        const points = await Promise.all(held.map((id) => buyer.seatPoint(id)));
        return points.every((p) => p.y > 0 && p.y < (bar?.y ?? viewport.height));
      })
      .toBe(true);
    await buyer.screenshot('best-available-pair-phone');
    expect(await allAxeFindings(page)).toEqual([]);
    expect(buyer.pageErrors).toEqual([]);
  });
});
