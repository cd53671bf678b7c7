// The organiser's console at /admin in Chromium: signing in with the admin token (refused when
// wrong, kept for the tab only, never in the address), the events with their counts, an event's
// dashboard following a sale made by another buyer within a second, the CSV download, the reset,
// a new event generated with a general-admission area (previewed, then on the buyer's map with
// its places left), and no axe finding on any console page, on a desktop and a phone.
import { copyFileSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAxeFindings } from '../support/axe.js';
import { TicketmainClient } from '@ticketmain/client';
import { ApiBuyer } from '../support/api.js';
import { Buyer, DEVICES, launchBrowser, SCREENSHOT_DIR } from '../support/browser.js';
import { ADMIN_TOKEN, REPO_ROOT, TestServer } from '../support/server.js';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';

const EVENT = 'arena-demo';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([TestServer.start(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** The number a dashboard total or table cell shows. */
async function shown(page: Page, selector: string): Promise<number> {
  const text = await page.locator(selector).first().textContent();
  return Number((text ?? '').replace(/[^0-9]/g, ''));
}

describe.each(['desktop', 'phone'] as const)('the console on a %s', (device) => {
  let page: Page;
  /** The event the console created. */
  let createdId = '';

  beforeAll(async () => {
    const context = await browser.newContext({
      ...DEVICES[device],
      acceptDownloads: true,
      baseURL: server.url,
    });
    page = await context.newPage();
  });

  it('refuses a wrong token, and signs in with the right one, kept for the tab only', async () => {
    await page.goto('/admin');
    const input = page.getByLabel('Admin token');
    await input.waitFor();
    expect(await allAxeFindings(page)).toEqual([]);
    await shot(page, `${device}-admin-signin`);

    await input.fill('not-the-token-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('did not accept').waitFor();
    expect(await input.getAttribute('aria-invalid')).toBe('true');

    await input.fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('admin-events').waitFor();
    expect(page.url()).not.toContain(ADMIN_TOKEN);
    const stored = await page.evaluate(() => ({
      session: sessionStorage.getItem('ticketmain.admin-token'),
      local: JSON.stringify(localStorage),
    }));
    expect(stored.session).toBe(ADMIN_TOKEN);
    expect(stored.local).not.toContain(ADMIN_TOKEN);
    // A reload keeps the tab signed in.
    await page.reload();
    await page.getByTestId('admin-events').waitFor();
  });

  it('lists the events with sold, held and free seats', async () => {
    const row = page.locator(`tr[data-event-id="${EVENT}"]`);
    await row.waitFor();
    const free = await shown(page, `tr[data-event-id="${EVENT}"] [data-field="available"]`);
    const sold = await shown(page, `tr[data-event-id="${EVENT}"] [data-field="sold"]`);
    const held = await shown(page, `tr[data-event-id="${EVENT}"] [data-field="held"]`);
    expect(sold + held + free).toBe(900);
    expect(await allAxeFindings(page)).toEqual([]);
    await shot(page, `${device}-admin-events`);
  });

  it("follows another buyer's purchase on the dashboard within a second", async () => {
    await page.locator(`tr[data-event-id="${EVENT}"]`).getByRole('link').click();
    await page.getByTestId('dashboard').waitFor();
    await page.locator('[data-testid="live"].is-live').waitFor({ timeout: 5_000 });
    const before = await shown(page, '[data-testid="totals"] [data-field="sold"] dd');

    const buyer = await ApiBuyer.create(server.url);
    const seats = device === 'desktop' ? ['K10', 'K11'] : ['L10', 'L11'];
    await buyer.hold(EVENT, seats);
    await page
      .locator('[data-testid="totals"] [data-field="held"] dd')
      .getByText(/^[1-9]/)
      .waitFor({ timeout: 1_000 });
    const bought = Date.now();
    await buyer.order(EVENT, seats, `console-${device}`);
    await page.waitForFunction(
      ([selector, want]) =>
        Number(document.querySelector(selector as string)?.textContent?.replace(/\D/g, '')) ===
        want,
      ['[data-testid="totals"] [data-field="sold"] dd', before + 2] as const,
      { timeout: 1_000 },
    );
    console.log(`[e2e] console (${device}): the sale shown ${Date.now() - bought} ms after it`);
    const premium = page.locator('[data-testid="sections"] tr[data-section-id="premium"]');
    expect(Number(await premium.locator('[data-field="sold"]').textContent())).toBeGreaterThan(0);
    expect(await page.getByTestId('orders-chart').locator('canvas').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('webhooks-summary').textContent()).toContain('Webhooks: none.');
    expect(await page.locator('.admin-chart figcaption').textContent()).toMatch(
      /Orders per minute, last hour: [1-9]/,
    );
    expect(await allAxeFindings(page)).toEqual([]);
    await shot(page, `${device}-admin-dashboard`);
    // The README's picture of the console.
    if (device === 'desktop') {
      copyFileSync(
        join(SCREENSHOT_DIR, 'desktop-admin-dashboard.png'),
        join(REPO_ROOT, 'docs/screenshots/admin-dashboard.png'),
      );
    }
  });

  it('downloads the report as CSV without the token in any address', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download report (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${EVENT}-report.csv`);
    expect(download.url()).not.toContain(ADMIN_TOKEN);
    const path = await download.path();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('section_id,name,capacity,sold,held,available,revenue_cents,currency');
    expect(lines.at(-1)).toMatch(/^total,All sections,900,/);
  });

  it('resets the event after a confirmation, and the dashboard shows it', async () => {
    await page.getByRole('button', { name: 'Reset event…' }).click();
    await page.getByRole('button', { name: 'Clear every hold and sale' }).click();
    await page.getByRole('status').getByText('was cleared').waitFor();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="totals"] [data-field="sold"] dd')?.textContent ===
        '0',
      undefined,
      { timeout: 5_000 },
    );
  });

  it('creates an event from a generated venue, previewed first, and lists it', async () => {
    await page.getByRole('link', { name: 'New event' }).click();
    await page.getByRole('heading', { name: 'New event' }).waitFor();
    await page.getByLabel('Event name').fill(`Console night ${device}`);
    await page.getByLabel('Section 2 rows').fill('0');
    await page.getByRole('alert').getByText('rows must be a whole number').waitFor();
    await page.getByLabel('Section 2 rows').fill('4');
    await page.getByRole('button', { name: 'Add a section' }).click();
    await page.getByLabel('Section 3 name').fill('Balcony');
    // 6×16 + 4×20 + 8×12 seats, drawn by the seat map's renderer before anything is created.
    const caption = page.locator('.admin-preview figcaption');
    await caption.getByText('272 seats in 3 sections,').waitFor();
    // A standing area in front of the seats: a GA section of the layout, drawn on the preview.
    await page.getByRole('button', { name: 'Add a general admission area' }).click();
    await page.getByLabel('GA area 1 name').fill('Standing floor');
    await page.getByLabel('GA area 1 capacity').fill('0');
    await page.getByRole('alert').getByText('the capacity must be a whole number').waitFor();
    await page.getByLabel('GA area 1 capacity').fill('300');
    await page.getByLabel('GA area 1 price').fill('35');
    await caption
      .getByText('272 seats in 3 sections and 1 general admission area of 300 places')
      .waitFor();
    const area = page.getByTestId('preview-area');
    expect(await area.textContent()).toBe('Standing floor $35 · 300 places');
    // Between the stage and the seats, inside the canvas.
    const [box, canvas] = await Promise.all([
      area.boundingBox(),
      page.locator('.admin-preview canvas').boundingBox(),
    ]);
    expect(box?.width).toBeGreaterThan(60);
    if (!box || !canvas) throw new Error('the preview and its area are drawn');
    expect(box.y).toBeGreaterThan(canvas.y);
    expect(box.y + box.height).toBeLessThan(canvas.y + canvas.height);
    expect(await allAxeFindings(page)).toEqual([]);
    await shot(page, `${device}-admin-new-event`);
    await page.getByRole('button', { name: 'Create the event (272 seats, 300 GA places)' }).click();
    await page.getByTestId('dashboard').waitFor();
    await page
      .getByRole('heading', { name: `Console night ${device}` })
      .waitFor({ timeout: 5_000 });
    expect(await shown(page, '[data-testid="totals"] div:last-child dd')).toBe(572);
    createdId = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1) ?? '');

    // The buyer's page shows the area over the map with its places left.
    const buyer = await Buyer.open(browser, server.url, createdId, `ga ${device}`, {
      device: DEVICES[device],
    });
    const floor = buyer.page.getByTestId('ga-area');
    await expect.poll(() => floor.getAttribute('data-available'), { timeout: 5_000 }).toBe('300');
    expect(await floor.getAttribute('aria-label')).toBe('Standing floor, $35, 300 places left');
    expect(await floor.textContent()).toContain('300 places left');
    expect(await allAxeFindings(buyer.page)).toEqual([]);
    await buyer.screenshot(`${device}-admin-created-ga`);
    expect(buyer.pageErrors).toEqual([]);
    await buyer.close();
    await page.getByRole('link', { name: 'Events', exact: true }).first().click();
    await page.getByTestId('admin-events').getByText(`Console night ${device}`).waitFor();
  });

  it("changes the waiting room's rate and pauses it; a buyer's page in line shows it", async () => {
    const admin = new TicketmainClient({ baseUrl: server.url, adminToken: ADMIN_TOKEN });
    const now = Date.now();
    await admin.configureQueue(createdId, {
      opensAt: new Date(now - 60_000).toISOString(),
      salesStartAt: new Date(now - 1_000).toISOString(),
      admitPerMinute: 1,
    });
    // Three buyers in line ahead of a fourth in a browser: at one a minute its wait is minutes.
    const buyers = await Promise.all([1, 2, 3].map(() => admin.newBuyer()));
    for (const buyer of buyers) await buyer.joinQueue(createdId);
    const watcher = await Buyer.open(browser, server.url, createdId, `in line ${device}`, {
      device: DEVICES[device],
    });
    const card = watcher.page.locator('.waiting-room-card[data-kind="waiting"]');
    const eta = card.locator('.waiting-room-eta dd');
    await card.waitFor({ timeout: 20_000 });
    await eta.getByText(/^about \d+ minutes?$/).waitFor({ timeout: 5_000 });

    await page.goto(`/admin/events/${encodeURIComponent(createdId)}`);
    const panel = page.getByTestId('queue');
    await panel.waitFor();
    expect(await panel.locator('[data-field="state"]').textContent()).toBe('1 a minute');
    // The watcher and the buyers ahead wait; one may have been let in at once.
    expect(await shown(page, '[data-testid="queue"] [data-field="waiting"]')).toBeGreaterThan(0);
    await panel.getByLabel(/Admit per minute/).fill('600');
    await panel.getByRole('button', { name: 'Apply rate' }).click();
    await panel.getByRole('status').getByText('Admitting 600 a minute.').waitFor();
    await panel.locator('[data-field="state"]').getByText('600 a minute').waitFor();
    // The buyer's page follows: at ten a second its turn comes at once, the map unlocked.
    const changed = Date.now();
    await watcher.page.locator('.map-area[data-locked="false"]').waitFor({ timeout: 5_000 });
    await watcher.page.getByTestId('admission').getByText("It's your turn").waitFor();
    console.log(
      `[e2e] console (${device}): the new rate let the buyer in ${Date.now() - changed} ms later`,
    );
    await watcher.close();

    await panel.getByRole('button', { name: 'Pause admission' }).click();
    await panel.locator('[data-field="state"]').getByText('Paused').waitFor();
    expect((await admin.eventReport(createdId)).queue?.paused).toBe(true);
    const waiting = '[data-testid="queue"] [data-field="waiting"]';
    const before = await shown(page, waiting);
    // A buyer who comes now waits behind the pause, and the page says so; the dashboard counts
    // them from the WebSocket's queue frame, sooner than its 5 s refresh.
    const late = await Buyer.open(browser, server.url, createdId, `late ${device}`, {
      device: DEVICES[device],
    });
    await page.waitForFunction(
      ([selector, want]) =>
        Number(document.querySelector(selector as string)?.textContent?.replace(/\D/g, '')) ===
        want,
      [waiting, before + 1] as const,
      { timeout: 2_000 },
    );
    expect(await panel.locator('[data-field="clears"]').textContent()).toBe('—');
    expect(await panel.getByTestId('queue-chart').locator('canvas').count()).toBe(1);
    expect(await panel.locator('figcaption').textContent()).toMatch(
      /^The line since this page opened: [1-9]/,
    );
    await late.page
      .locator('.waiting-room-card[data-kind="waiting"] .waiting-room-eta dd')
      .getByText('Paused')
      .waitFor({ timeout: 20_000 });
    await late.page.getByText('The organiser has paused the line').waitFor();
    expect(await allAxeFindings(page)).toEqual([]);
    await shot(page, `${device}-admin-queue`);
    await panel.getByRole('button', { name: 'Resume admission' }).click();
    await panel.locator('[data-field="state"]').getByText('600 a minute').waitFor();
    await late.page.locator('.map-area[data-locked="false"]').waitFor({ timeout: 5_000 });
    await late.close();
  });

  it('shows each problem of an uploaded layout with its line', async () => {
    await page.getByRole('link', { name: 'New event' }).click();
    await page.getByLabel('Upload a layout file').check();
    const layout = {
      name: 'Broken Hall',
      stage: { x: 0, y: 0, width: 100, height: 20, label: 'Stage' },
      sections: [{ id: 'a', name: 'A', price: -1, rows: [{ label: 'A', seats: [] }] }],
    };
    await page.getByLabel('Or paste it here').fill(JSON.stringify(layout, null, 2));
    const problems = page.getByTestId('layout-problems');
    await problems.waitFor();
    const lines = (await problems
      .locator('li')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-line')))) as string[];
    const text = JSON.stringify(layout, null, 2).split('\n');
    // The price is on its own line, the empty seat list on another.
    expect(lines).toContain(String(text.findIndex((l) => l.includes('"price"')) + 1));
    expect(lines).toContain(String(text.findIndex((l) => l.includes('"seats"')) + 1));
    expect(await allAxeFindings(page)).toEqual([]);
    await page.getByRole('link', { name: 'Events', exact: true }).first().click();
  });

  it('signs out, and forgets the token', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('ticketmain.admin-token'))).toBeNull();
  });
});
