// The console's event tools in Chromium, on a desktop and a phone: an event's rules saved and
// read back from the public API, a scanner token that checks in a ticket bought by another buyer,
// orders found by id and by e-mail and shown in full; cancelling an order (its seat free again on
// a buyer's map) and the webhooks (a real receiver gets a signed delivery, listed in the log);
// no axe finding on any of these pages.
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, TicketmainClient, type Order } from '@ticketmain/client';
import { conforms, Order as OrderSchema } from '@ticketmain/protocol';
import { allAxeFindings } from '../support/axe.js';
import { Buyer, DEVICES, launchBrowser, SCREENSHOT_DIR } from '../support/browser.js';
import { ADMIN_TOKEN, TestServer } from '../support/server.js';

const EVENT = 'arena-demo';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let server: TestServer;
let browser: Browser;
let admin: TicketmainClient;
/** A webhook receiver: answers 200 and keeps what it got. */
let receiver: Server;
const received: Received[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  [server, browser] = await Promise.all([
    TestServer.start({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }),
    launchBrowser(),
  ]);
  admin = new TicketmainClient({ baseUrl: server.url, adminToken: ADMIN_TOKEN });
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Another buyer, straight on the API, buys `seatIds` with their details. */
async function buy(seatIds: string[], email: string): Promise<Order> {
  const buyer = await admin.newBuyer();
  await buyer.hold(EVENT, seatIds);
  return buyer.placeOrder(EVENT, seatIds, `console-${email}`, { name: 'Ada Lovelace', email });
}

describe.each(['desktop', 'phone'] as const)('event tools in the console on a %s', (device) => {
  let page: Page;
  const row = device === 'desktop' ? 'C' : 'D';
  const email = `ada.${device}@example.org`;
  let order: Order;

  beforeAll(async () => {
    const context = await browser.newContext({ ...DEVICES[device], baseURL: server.url });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    page = await context.newPage();
    await page.goto('/admin');
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('admin-events').waitFor();
  });

  it("changes the event's rules; the public event shows them, and so does a reload", async () => {
    await page.goto(`/admin/events/${EVENT}`);
    const rules = page.getByTestId('rules');
    await rules.getByRole('button', { name: 'Save rules' }).waitFor();
    const before = (await admin.getEvent(EVENT)).rules;
    const loneSeat = rules.getByLabel('Refuse holds that leave a single seat alone in a row');
    expect(await loneSeat.isChecked()).toBe(before.singleSeatRule);

    // The desktop turns the lone-seat rule on and lets buyers cancel; the phone turns both back.
    const on = !before.singleSeatRule;
    await loneSeat.setChecked(on);
    const until = new Date(Date.now() + 7 * 86_400_000);
    until.setSeconds(0, 0);
    if (on) {
      await rules.getByLabel('The buyer too, until a time').check();
      const saveEmpty = rules.getByRole('button', { name: 'Save rules' });
      await rules.getByLabel(/Buyers may cancel until/).fill('');
      await saveEmpty.click();
      await rules.getByRole('alert').getByText('Choose until when').waitFor();
      await rules.getByLabel(/Buyers may cancel until/).fill(localInput(until));
    } else {
      await rules.getByLabel('Only the organiser').check();
    }
    await rules.getByRole('button', { name: 'Save rules' }).click();
    await rules.getByRole('status').getByText('Rules saved.').waitFor();
    const after = (await admin.getEvent(EVENT)).rules;
    expect(after).toEqual({
      singleSeatRule: on,
      buyerCancellationUntil: on ? until.toISOString() : null,
    });

    await page.reload();
    await rules.getByRole('button', { name: 'Save rules' }).waitFor();
    expect(await loneSeat.isChecked()).toBe(on);
    expect(await rules.getByLabel('The buyer too, until a time').isChecked()).toBe(on);
    expect(await rules.getByTestId('rules-now').textContent()).toContain(
      on ? 'lone seats refused' : 'only the organiser cancels',
    );
    expect(await allAxeFindings(page)).toEqual([]);
  });

  it("creates a scanner token, shown once, that checks in another buyer's ticket", async () => {
    const panel = page.getByTestId('scanner-tokens');
    await panel.getByRole('button', { name: 'Create a scanner token' }).click();
    const field = panel.getByLabel('Scanner token (shown once)');
    await field.waitFor();
    const token = await field.inputValue();
    expect(token).toMatch(/^tms_/);
    expect(await panel.getByRole('link', { name: /scanner/ }).getAttribute('href')).toBe('/scan');
    await panel.getByRole('button', { name: 'Copy' }).click();
    await panel
      .getByRole('status')
      .getByText(/Copied|Selected/)
      .waitFor();
    if (device === 'desktop') {
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    }
    expect(page.url()).not.toContain(token);
    expect(await allAxeFindings(page)).toEqual([]);
    await shot(page, `${device}-admin-event-tools`);

    const ticketOrder = await buy([`${row}20`], `gate.${device}@example.org`);
    const ticket = ticketOrder.tickets[0]!;
    const scanner = new TicketmainClient({ baseUrl: server.url, scannerToken: token });
    const checkIn = await scanner.checkIn(EVENT, ticket.code);
    expect(checkIn).toMatchObject({ ticketId: ticket.ticketId, seatId: `${row}20` });
    // The token is this event's only, and it only checks in.
    const refused = await scanner
      .request('GET', `/api/admin/events/${EVENT}/report`, { auth: 'scanner' })
      .then((reply) => reply.status);
    expect(refused).toBe(401);
    // A new token replaces nothing: the panel shows only the newest, the old one still works.
    await panel.getByRole('button', { name: 'Create a scanner token' }).click();
    await page.waitForFunction(
      (old) =>
        (document.querySelector('[data-testid="scanner-tokens"] input') as HTMLInputElement | null)
          ?.value !== old,
      token,
    );
  });

  it('finds an order bought by another buyer by its id and by e-mail, and shows it', async () => {
    order = await buy([`${row}1`, `${row}2`], email);
    await page
      .getByRole('navigation', { name: 'Event' })
      .getByRole('link', { name: 'Orders' })
      .click();
    const results = page.getByTestId('order-results');
    await results.waitFor();
    // The latest orders first: this one is among them.
    await results.locator(`tr[data-order-id="${order.orderId}"]`).waitFor();

    const search = page.getByLabel('Order id or buyer e-mail');
    await search.fill(order.orderId);
    await page.getByRole('button', { name: 'Search' }).click();
    await results.getByText(`1 order for “${order.orderId}”`).waitFor();
    expect(await results.locator('tbody tr').count()).toBe(1);

    await search.fill(`ADA.${device.toUpperCase()}@`);
    await search.press('Enter');
    await results.getByText(/1 order for “ADA\./).waitFor();
    const found = results.locator(`tr[data-order-id="${order.orderId}"]`);
    expect(await found.textContent()).toContain(email);

    await search.fill('nobody@example.org');
    await search.press('Enter');
    await results.getByText('No orders for “nobody@example.org”').waitFor();
    expect(await allAxeFindings(page)).toEqual([]);

    await search.fill(order.orderId.slice(0, 8));
    await search.press('Enter');
    await found.waitFor();
    await shot(page, `${device}-admin-orders`);
    await found.getByRole('link').click();
    const facts = page.getByTestId('order-facts');
    await facts.waitFor();
    expect(await facts.locator('[data-field="buyer"]').textContent()).toBe(`Ada Lovelace${email}`);
    expect(await facts.getByText(order.orderId).count()).toBe(1);
    const seats = page.getByTestId('order-seats');
    for (const ticket of order.tickets) {
      expect(await seats.locator(`tr[data-seat-id="${ticket.seatId}"]`).textContent()).toContain(
        ticket.ticketId,
      );
    }
    await page.getByRole('button', { name: 'Cancel order…' }).waitFor();
    expect(await allAxeFindings(page)).toEqual([]);
    await shot(page, `${device}-admin-order`);
  });

  it("cancels the order with a partial refund; a buyer's map shows the seat free", async () => {
    const watcher = await Buyer.open(browser, server.url, EVENT, `watcher ${device}`);
    const seatId = order.seats[0]!.seatId;
    await watcher.hoverSeat(seatId);
    await watcher.waitSeat(seatId, 'sold');

    const refund = Math.floor(order.total / 2);
    await page.getByLabel(`Refund (${order.currency})`).fill((refund / 100).toFixed(2));
    await page.getByRole('button', { name: 'Cancel order…' }).click();
    await page.getByRole('button', { name: /^Cancel and refund/ }).click();
    await page.getByRole('status').getByText('The order is cancelled').waitFor();
    const facts = page.getByTestId('order-facts');
    expect(await facts.locator('[data-field="status"]').textContent()).toBe('Cancelled');
    expect(await facts.locator('[data-field="refund"]').textContent()).toMatch(/\d/);
    const reply = await admin.request('GET', `/api/admin/orders/${order.orderId}`, {
      auth: 'admin',
    });
    expect(conforms(OrderSchema, reply.body)).toBe(true);
    const cancelled = reply.body as Order;
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.refund?.amount).toBe(refund);

    await watcher.waitSeat(seatId, 'available');
    // Its tickets are refused at the gate.
    const gate = new TicketmainClient({ baseUrl: server.url, scannerToken: ADMIN_TOKEN });
    const scanned = await gate.checkIn(EVENT, order.tickets[0]!.code).catch((e: unknown) => e);
    expect(scanned instanceof ApiError && scanned.code).toBe('TICKET_CANCELLED');
    expect(await allAxeFindings(page)).toEqual([]);
    await shot(page, `${device}-admin-order-cancelled`);
    await watcher.close();
  });

  it('opens the webhooks page', async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await page.getByRole('button', { name: 'Register webhook' }).waitFor();
    await page.getByTestId('webhooks').waitFor();
    expect(await allAxeFindings(page)).toEqual([]);
  });

  it('registers a webhook, shows its secret once, lists its signed delivery, and deletes it', async () => {
    const port = (receiver.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}/hooks/${device}`;
    await page.getByLabel('Endpoint URL').fill(url);
    await page.getByLabel('ticket.checked_in').check();
    await page.getByRole('button', { name: 'Register webhook' }).click();
    const secret = await page.getByLabel(/Signing secret of/).inputValue();
    expect(secret).toMatch(/^whsec_/);
    const listed = page.locator('[data-testid="webhooks"] tr', { hasText: url });
    await listed.waitFor();
    expect(await listed.textContent()).toContain('order.confirmed, ticket.checked_in');
    expect(await allAxeFindings(page)).toEqual([]);
    await shot(page, `${device}-admin-webhooks`);

    const bought = await buy([`${row}5`], `hooks.${device}@example.org`);
    await expect
      .poll(() => received.some((r) => r.body.includes(bought.orderId)), { timeout: 30_000 })
      .toBe(true);
    const delivery = received.find((r) => r.body.includes(bought.orderId))!;
    const signed = `${String(delivery.headers['webhook-id'])}.${String(delivery.headers['webhook-timestamp'])}.${delivery.body}`;
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const signature = createHmac('sha256', key).update(signed).digest('base64');
    expect(String(delivery.headers['webhook-signature'])).toContain(`v1,${signature}`);

    await listed.getByRole('button', { name: /^Deliveries/ }).click();
    const log = page.getByTestId('deliveries');
    await expect
      .poll(
        async () => {
          await log.getByRole('button', { name: 'Refresh' }).click();
          return log.locator('[data-field="status"]').allTextContents();
        },
        { timeout: 30_000 },
      )
      .toContain('200');
    expect(await allAxeFindings(page)).toEqual([]);
    await shot(page, `${device}-admin-webhook-deliveries`);

    await listed.getByRole('button', { name: /^Delete…/ }).click();
    await listed.getByRole('button', { name: /^Delete.*sure$/ }).click();
    await listed.waitFor({ state: 'detached' });
  });
});

/** A time as a datetime-local input takes it, in the browser's (and this process's) zone. */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}
