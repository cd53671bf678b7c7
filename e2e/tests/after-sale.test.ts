// After the sale: the order page and the gates' scanner, in Chromium. A buyer buys three seats;
// the order's url opens in another browser context (no session) with the seats and one QR code
// per ticket, each decoding (jsQR, in the page) to the ticket's code; the calendar file
// downloads; the scanner admits a typed code once (green), refuses it again (red), reads a QR
// code through a fake camera stream, and admits offline provisionally, uploading when back. A
// second order, cancelled by the organiser with a partial refund, shows as cancelled (when, the
// refund, its ticket marked void, no QR code, no "Add to calendar"), and its ticket is refused at
// the gate.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { TicketmainClient } from '@ticketmain/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEvent, getOrder, type Order } from '../support/api.js';
import { allAxeFindings } from '../support/axe.js';
import {
  Buyer,
  CHROMIUM_PATH,
  DEVICES,
  launchBrowser,
  SCREENSHOT_DIR,
} from '../support/browser.js';
import { ADMIN_TOKEN, REPO_ROOT, TestServer } from '../support/server.js';
import { writeQrVideo } from '../support/y4m.js';

const EVENT = 'arena-demo';
const SEATS = ['C16', 'C17', 'C18'];
/** Bought and cancelled by the organiser: its page says so and the gate refuses it. */
const CANCELLED_SEAT = 'C20';
const DOCS_SHOTS = join(REPO_ROOT, 'docs/screenshots');
const JSQR_SOURCE = readFileSync(createRequire(import.meta.url).resolve('jsqr'), 'utf8');

let server: TestServer;
let browser: Browser;
let order: Order;
let eventName: string;
let cancelledCode = '';

beforeAll(async () => {
  [server, browser] = await Promise.all([TestServer.start(), launchBrowser()]);
  eventName = (await getEvent(server.url, EVENT)).name;
  const buyer = await Buyer.open(browser, server.url, EVENT, 'buyer', { device: DEVICES.desktop });
  for (const seat of SEATS) {
    await buyer.clickSeat(seat);
    await buyer.cartItem(seat, { confirmed: true }).waitFor();
  }
  await buyer.cart.getByRole('button', { name: 'Buy', exact: true }).click();
  await buyer.confirmation.waitFor();
  const orderId = (await buyer.confirmation.getAttribute('data-order-id')) ?? '';
  order = await getOrder(server.url, await buyer.token(), orderId);
  // The confirmation is the order's page, key and all, with the QR codes.
  const url = new URL(order.url, server.url);
  expect(buyer.page.url()).toBe(`${server.url}${url.pathname}${url.search}`);
  await buyer.page
    .locator('img.ticket-qr')
    .nth(SEATS.length - 1)
    .waitFor();
  const focused = await buyer.page.evaluate(() => document.activeElement?.textContent ?? '');
  expect(focused).toContain('Order confirmed');
  expect(await allAxeFindings(buyer.page)).toEqual([]);
  await buyer.page.screenshot({ path: join(SCREENSHOT_DIR, 'desktop-order-confirmed.png') });
  expect(buyer.pageErrors).toEqual([]);
  await buyer.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

const orderPath = () => {
  const url = new URL(order.url, server.url);
  return url.pathname + url.search;
};

async function newPage(
  target: Browser,
  device: (typeof DEVICES)[keyof typeof DEVICES],
  options: { acceptDownloads?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await target.newContext({ ...device, baseURL: server.url, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  return { context, page, errors };
}

/** Each QR image of the page, decoded in the page by jsQR from its pixels. */
async function decodeQrCodes(page: Page): Promise<{ ticketId: string; text: string | null }[]> {
  if (!(await page.evaluate(() => 'jsQR' in window))) {
    await page.addScriptTag({ content: JSQR_SOURCE });
  }
  return page.evaluate(() => {
    type Decode = (
      data: Uint8ClampedArray,
      width: number,
      height: number,
    ) => { data: string } | null;
    const decode = (window as unknown as { jsQR: Decode }).jsQR;
    return [...document.querySelectorAll<HTMLElement>('[data-testid="ticket"]')].map((ticket) => {
      const img = ticket.querySelector<HTMLImageElement>('img.ticket-qr');
      const ticketId = ticket.dataset.ticketId ?? '';
      if (img === null) return { ticketId, text: null };
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const context = canvas.getContext('2d');
      if (context === null) return { ticketId, text: null };
      context.drawImage(img, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
      return { ticketId, text: decode(pixels.data, canvas.width, canvas.height)?.data ?? null };
    });
  });
}

describe('the order page', () => {
  it('opens in another browser with no session: seats, prices, total and scannable QR codes', async () => {
    const { context, page, errors } = await newPage(browser, DEVICES.desktop, {
      acceptDownloads: true,
    });
    await page.goto(orderPath());
    const view = page.getByTestId('order');
    await view.waitFor();
    await page
      .locator('img.ticket-qr')
      .nth(SEATS.length - 1)
      .waitFor();
    const text = (await view.textContent()) ?? '';
    expect(text).toContain(eventName);
    for (const seat of ['Row C, seat 16', 'Row C, seat 17', 'Row C, seat 18']) {
      expect(text).toContain(seat);
    }
    expect(await page.getByTestId('order-status').textContent()).toBe('Confirmed');
    expect(await page.getByTestId('order-total').textContent()).toBe('$1,500');
    await expect(page.getByTestId('ticket').count()).resolves.toBe(SEATS.length);
    // No session was made to read it: the key in the url is enough.
    expect(await page.evaluate(() => localStorage.getItem('ticketmain.session'))).toBeNull();

    const decoded = await decodeQrCodes(page);
    expect(decoded).toEqual(order.tickets.map((t) => ({ ticketId: t.ticketId, text: t.code })));

    // Add to calendar: an .ics made in the page, with the event's start, name and venue.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Add to calendar' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.ics$/);
    const ics = readFileSync(await download.path(), 'utf8').replace(/\r\n /g, '');
    const event = await getEvent(server.url, EVENT);
    const start = event.startsAt.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    expect(ics).toContain('BEGIN:VEVENT\r\n');
    expect(ics).toContain(`DTSTART:${start}\r\n`);
    expect(ics).toContain(`SUMMARY:${eventName.replace(/[,;]/g, (c) => `\\${c}`)}\r\n`);
    expect(ics).toContain(`LOCATION:${event.venueName.replace(/[,;]/g, (c) => `\\${c}`)}`);

    expect(await allAxeFindings(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'desktop-order.png'), fullPage: true });

    // Printed: no header, no buttons; the tickets stay.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Add to calendar' }).isVisible()).toBe(false);
    expect(await page.locator('img.ticket-qr').first().isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    // After a reload, all again.
    await page.reload();
    await page
      .locator('img.ticket-qr')
      .nth(SEATS.length - 1)
      .waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("works under the server's content policy: QR images, the calendar file, no refusal", async () => {
    // No bypassCSP here (axe needs it elsewhere): what a buyer's browser really enforces.
    const context = await browser.newContext({ baseURL: server.url, acceptDownloads: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(orderPath());
    await page
      .locator('img.ticket-qr')
      .nth(SEATS.length - 1)
      .waitFor();
    const widths = await page
      .locator('img.ticket-qr')
      .evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).naturalWidth));
    expect(widths).toEqual(SEATS.map(() => 440));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Add to calendar' }).click(),
    ]);
    expect(readFileSync(await download.path(), 'utf8')).toContain('BEGIN:VCALENDAR');
    await page.goto('/scan');
    await page.getByRole('combobox', { name: 'Event' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('looks right on a phone', async () => {
    const { context, page, errors } = await newPage(browser, DEVICES.phone);
    await page.goto(orderPath());
    await page.locator('img.ticket-qr').first().waitFor();
    expect(await allAxeFindings(page)).toEqual([]);
    await page.screenshot({ path: join(DOCS_SHOTS, 'phone-order.png') });
    expect((await decodeQrCodes(page))[0]?.text).toBe(order.tickets[0]?.code);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a cancelled order as cancelled: when, the refund, void tickets, nothing to scan or add', async () => {
    const admin = new TicketmainClient({ baseUrl: server.url, adminToken: ADMIN_TOKEN });
    const buyer = await admin.newBuyer();
    await buyer.hold(EVENT, [CANCELLED_SEAT]);
    const placed = await buyer.placeOrder(EVENT, [CANCELLED_SEAT], `e2e-cancel-${Date.now()}`);
    cancelledCode = placed.tickets[0]?.code ?? '';
    const { context, page, errors } = await newPage(browser, DEVICES.phone);
    const path = new URL(placed.url, server.url);
    await page.goto(path.pathname + path.search);
    await page.locator('img.ticket-qr').first().waitFor();
    expect(await page.getByRole('button', { name: 'Add to calendar' }).count()).toBe(1);
    // The organiser cancels with a partial refund while the page is open; the buyer reloads it.
    const refund = Math.floor(placed.total / 2);
    const cancelled = await admin.adminCancelOrder(placed.orderId, refund);
    expect(cancelled.status).toBe('CANCELLED');
    await page.reload();
    await page.getByTestId('order').waitFor();
    expect(await page.getByTestId('order-status').textContent()).toBe('Cancelled');
    expect(await page.locator('.order-kicker').textContent()).toBe('Cancelled order');
    expect(await page.title()).toMatch(/^Cancelled order · /);
    const notice = page.getByRole('note');
    expect(await notice.textContent()).toBe(
      'This order is cancelled: its tickets are no longer valid.',
    );
    expect(await notice.isVisible()).toBe(true);
    // When it was cancelled and what came back, as the API says it.
    const when = page.getByTestId('order-cancelled-at').locator('time');
    expect(await when.getAttribute('datetime')).toBe(cancelled.cancelledAt);
    expect(await when.textContent()).toMatch(/\d{4}, \d{1,2}:\d{2}/);
    const money = (cents: number) => `$${(cents / 100).toFixed(2).replace(/\.00$/, '')}`;
    expect(await page.getByTestId('order-refund').textContent()).toBe(money(refund));
    // Nothing to plan for or print: the order no longer admits anyone.
    for (const name of ['Add to calendar', 'Print tickets']) {
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    }
    // The ticket is still listed (the order keeps its history), marked void, with no code to
    // show at a gate.
    const ticket = page.getByTestId('ticket');
    await expect(ticket.count()).resolves.toBe(1);
    expect(await ticket.getAttribute('data-status')).toBe('cancelled');
    expect(await ticket.getByTestId('ticket-void').textContent()).toBe(
      'Cancelled Not valid for entry',
    );
    expect(await ticket.getByTestId('ticket-void').isVisible()).toBe(true);
    expect(await page.getByRole('list', { name: 'Cancelled tickets' }).count()).toBe(1);
    expect(await page.locator('img.ticket-qr').count()).toBe(0);
    expect(await allAxeFindings(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'phone-order-cancelled.png') });
    expect(errors).toEqual([]);
    await context.close();
    const desktop = await newPage(browser, DEVICES.desktop);
    await desktop.page.goto(path.pathname + path.search);
    await desktop.page.getByRole('note').waitFor();
    expect(await desktop.page.locator('img.ticket-qr').count()).toBe(0);
    await desktop.page.getByTestId('ticket-void').waitFor();
    expect(await desktop.page.getByRole('button', { name: 'Add to calendar' }).count()).toBe(0);
    expect(await allAxeFindings(desktop.page)).toEqual([]);
    await desktop.page.screenshot({ path: join(SCREENSHOT_DIR, 'desktop-order-cancelled.png') });
    expect(desktop.errors).toEqual([]);
    await desktop.context.close();
  });

  it('shows a clear not-found page for a wrong key or an unknown order', async () => {
    const { context, page } = await newPage(browser, DEVICES.desktop);
    const url = new URL(order.url, server.url);
    for (const path of [
      `${url.pathname}?key=wrong`,
      url.pathname,
      `/orders/00000000-0000-4000-8000-000000000000?key=x`,
    ]) {
      await page.goto(path);
      await page
        .getByTestId('order-not-found')
        .getByRole('heading', { name: 'Order not found' })
        .waitFor();
    }
    expect(await allAxeFindings(page)).toEqual([]);
    await context.close();
  });
});

describe('the scanner', () => {
  let token: string;

  beforeAll(async () => {
    const admin = new TicketmainClient({ baseUrl: server.url, adminToken: ADMIN_TOKEN });
    token = await admin.createScannerToken(EVENT);
  });

  async function signIn(page: Page): Promise<void> {
    await page.goto('/scan');
    // A list of the events, once loaded (a text field before).
    await page.getByRole('combobox', { name: 'Event' }).selectOption({ label: eventName });
    await page.getByLabel('Scanner token').fill(token);
    await page.getByRole('button', { name: 'Start scanning' }).click();
    await page
      .getByTestId('scan-counts')
      .locator('[data-field="expected"]')
      .getByText('3')
      .waitFor();
    // The token is in session storage, never in the address.
    expect(page.url()).not.toContain(token);
  }

  const result = (page: Page) => page.getByTestId('scan-result');
  const counted = (page: Page, field: string) =>
    page.getByTestId('scan-counts').locator(`[data-field="${field}"]`).textContent();

  async function typeCode(page: Page, code: string): Promise<void> {
    await page.getByLabel('Ticket code').fill(code);
    await page.getByRole('button', { name: 'Check in' }).click();
  }

  it('admits a typed code once (green), then refuses it (red, already checked in)', async () => {
    const { context, page, errors } = await newPage(browser, DEVICES.phone);
    await page.goto('/scan');
    await page.getByRole('heading', { name: 'Scan tickets' }).waitFor();
    expect(await allAxeFindings(page)).toEqual([]);
    await signIn(page);
    const first = order.tickets[0];
    if (first === undefined) throw new Error('no ticket');

    await typeCode(page, first.code);
    await page.locator('[data-testid="scan-result"][data-verdict="admitted"]').waitFor();
    const green = (await result(page).textContent()) ?? '';
    expect(green).toContain('Admitted');
    expect(green).toContain('Row C, seat 16');
    await expect
      .poll(() => page.getByTestId('scan-announcer').textContent())
      .toContain('Admitted. Row C, seat 16');
    await expect.poll(() => counted(page, 'checked-in')).toBe('1');
    expect(await allAxeFindings(page)).toEqual([]);
    await page.screenshot({ path: join(DOCS_SHOTS, 'phone-scan.png') });

    await typeCode(page, first.code);
    await page.locator('[data-testid="scan-result"][data-verdict="refused"]').waitFor();
    const red = (await result(page).textContent()) ?? '';
    expect(red).toContain('Already checked in');
    expect(red).toMatch(/at \d{1,2}:\d\d:\d\d/);
    await expect
      .poll(() => page.getByTestId('scan-announcer').textContent())
      .toContain('Already checked in');
    expect(await allAxeFindings(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'phone-scan-refused.png') });

    await typeCode(page, 'not-a-ticket');
    await result(page).getByText('Invalid ticket').waitFor();

    // A reload keeps the gate signed in (session storage) and the counts come back at once.
    await page.reload();
    await expect.poll(() => counted(page, 'checked-in')).toBe('1');
    expect(await page.getByLabel('Scanner token').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses a ticket of a cancelled order: red, cancelled', async () => {
    expect(cancelledCode).not.toBe('');
    const { context, page, errors } = await newPage(browser, DEVICES.phone);
    await signIn(page);
    await typeCode(page, cancelledCode);
    await page.locator('[data-testid="scan-result"][data-verdict="refused"]').waitFor();
    expect(await result(page).textContent()).toContain('Cancelled ticket');
    await expect
      .poll(() => page.getByTestId('scan-announcer').textContent())
      .toContain('Cancelled ticket');
    // Refused: nothing counted in.
    expect(await counted(page, 'checked-in')).toBe('1');
    expect(await allAxeFindings(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'phone-scan-cancelled.png') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reads a QR code from the camera (a fake stream of the ticket) and admits it', async () => {
    const ticket = order.tickets[1];
    if (ticket === undefined) throw new Error('no ticket');
    const video = join(mkdtempSync(join(tmpdir(), 'ticketmain-camera-')), 'ticket.y4m');
    writeQrVideo(video, ticket.code);
    const camera = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    try {
      const { page, errors } = await newPage(camera, DEVICES.desktop);
      await signIn(page);
      await page.getByRole('button', { name: 'Start the camera' }).click();
      await page
        .locator('[data-testid="scan-result"][data-verdict="admitted"]')
        .waitFor({ timeout: 20_000 });
      expect(await result(page).textContent()).toContain('Row C, seat 17');
      // The code stays in front of the camera: the same scan is not sent again and again.
      await page.waitForTimeout(1_500);
      expect(await result(page).getAttribute('data-verdict')).toBe('admitted');
      await expect.poll(() => counted(page, 'checked-in')).toBe('2');
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'desktop-scan-camera.png') });
      expect(await allAxeFindings(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await camera.close();
    }
  });

  it('offline: checks the code against the cached keys, queues it, uploads it when back', async () => {
    const ticket = order.tickets[2];
    if (ticket === undefined) throw new Error('no ticket');
    const { context, page, errors } = await newPage(browser, DEVICES.phone);
    await signIn(page);
    // The key set is cached once loaded; the scanner then goes offline.
    await page.waitForFunction(() => localStorage.getItem('ticketmain.scan.keys') !== null);
    await context.setOffline(true);
    await typeCode(page, ticket.code);
    await page.locator('[data-testid="scan-result"][data-provisional="true"]').waitFor();
    expect(await result(page).getAttribute('data-verdict')).toBe('admitted');
    expect(await result(page).textContent()).toContain('Row C, seat 18');
    expect(await page.getByTestId('scan-connection').getAttribute('data-status')).toBe('offline');
    expect(await counted(page, 'queued')).toBe('1');
    // The same ticket again, still offline: this device already let it in.
    await typeCode(page, ticket.code);
    await result(page).getByText('Already checked in').waitFor();
    // A forged code is refused offline too.
    const [h, p, s] = ticket.code.split('.') as [string, string, string];
    await typeCode(page, `${h}.${p}.${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`);
    await result(page).getByText('Invalid ticket').waitFor();
    expect(await counted(page, 'queued')).toBe('1');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'phone-scan-offline.png') });

    await context.setOffline(false);
    await expect.poll(() => counted(page, 'queued'), { timeout: 15_000 }).toBe('0');
    await expect.poll(() => counted(page, 'checked-in'), { timeout: 15_000 }).toBe('3');
    // The server has it, once: a scan of it now is refused as already checked in.
    const gate = new TicketmainClient({ baseUrl: server.url, scannerToken: token });
    await expect(gate.checkIn(EVENT, ticket.code)).rejects.toMatchObject({
      code: 'ALREADY_CHECKED_IN',
    });
    expect(errors).toEqual([]);
    await context.close();
  });
});
