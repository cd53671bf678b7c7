// Chromium through playwright-core, and a Buyer: one browser context (its own local storage, so
// its own session) looking at one event's seat map, driven the way a person would drive it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from 'playwright-core';
import { getEvent, listEvents, type SeatInfo } from './api.js';
import { REPO_ROOT } from './server.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(REPO_ROOT, 'e2e/screenshots');
export const VIEWPORT = { width: 1280, height: 800 };

/**
 * The two devices the pages are looked at on: a 390×844 phone with touch at DPR 3, and the
 * desktop. bypassCSP: axe's source goes in as an inline script, which the server's policy refuses.
 */
export const DEVICES = {
  phone: {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 3,
    bypassCSP: true,
  },
  desktop: { viewport: VIEWPORT, bypassCSP: true },
} as const satisfies Record<string, BrowserContextOptions>;

export type SeatStatus = 'available' | 'held-by-me' | 'held' | 'sold' | 'sold-to-me';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export interface OpenOptions {
  /** Start on the events list and click the event's card, instead of opening its URL. */
  viaList?: boolean;
  /** How long the first draw may take (the 100,000-seat stadium loads megabytes). */
  readyTimeoutMs?: number;
  /** The device (viewport, touch, pixel ratio…); the desktop VIEWPORT by default. */
  device?: BrowserContextOptions;
}

export class Buyer {
  /** Uncaught exceptions of the page: an app bug whenever there is one. */
  readonly pageErrors: string[] = [];
  readonly map: Locator;
  readonly seatFocus: Locator;
  readonly toast: Locator;
  readonly cart: Locator;
  readonly connection: Locator;
  readonly countdown: Locator;
  readonly confirmation: Locator;

  private constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
    readonly baseUrl: string,
    readonly eventId: string,
    private readonly seats: Map<string, SeatInfo>,
  ) {
    this.map = page.getByTestId('seat-map');
    this.seatFocus = page.getByTestId('seat-focus');
    this.toast = page.getByTestId('toast');
    this.cart = page.getByTestId('cart');
    this.connection = page.getByTestId('connection');
    this.countdown = page.getByTestId('countdown');
    this.confirmation = page.getByTestId('confirmation');
    page.on('pageerror', (error) => this.pageErrors.push(String(error)));
  }

  /** A new buyer (a fresh browser context) on the event's page, with the map drawn and live. */
  static async open(
    browser: Browser,
    baseUrl: string,
    eventId: string,
    name: string,
    options: OpenOptions = {},
  ): Promise<Buyer> {
    const event = await getEvent(baseUrl, eventId);
    const context = await browser.newContext({
      viewport: VIEWPORT,
      ...options.device,
      baseURL: baseUrl,
    });
    const page = await context.newPage();
    const seats = new Map(event.seats.map((seat) => [seat.id, seat]));
    const buyer = new Buyer(name, context, page, baseUrl, eventId, seats);
    if (options.viaList === true) {
      await page.goto('/');
      await page.locator(`li[data-event-id="${eventId}"]`).getByRole('link').click();
    } else {
      await page.goto(`/events/${encodeURIComponent(eventId)}`);
    }
    await page
      .locator('[data-testid="seat-map"][data-ready="true"]')
      .waitFor({ timeout: options.readyTimeoutMs ?? 20_000 });
    await buyer.waitConnection('live', options.readyTimeoutMs ?? 20_000);
    return buyer;
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  /** From the order's page after a purchase, back to the event's map, drawn and live again. */
  async backToMap(): Promise<void> {
    await this.confirmation.getByRole('button', { name: 'Choose more seats' }).click();
    await this.page.locator('[data-testid="seat-map"][data-ready="true"]').waitFor();
    await this.waitConnection('live');
  }

  seat(seatId: string): SeatInfo {
    const seat = this.seats.get(seatId);
    if (seat === undefined) throw new Error(`no seat ${seatId} in ${this.eventId}`);
    return seat;
  }

  /** Where a seat is on screen now, from the map's view transform (CSS px). */
  async seatPoint(seatId: string): Promise<{ x: number; y: number }> {
    const { x, y } = this.seat(seatId);
    return this.screenPoint(x, y);
  }

  /** Where a point of the venue (world units) is on screen now (CSS px). */
  async screenPoint(x: number, y: number): Promise<{ x: number; y: number }> {
    return this.map.evaluate(
      (el, p) => {
        const rect = el.getBoundingClientRect();
        const d = (el as HTMLElement).dataset;
        const scale = Number(d.scale);
        return {
          x: rect.left + Number(d.offsetX) + p.x * scale,
          y: rect.top + Number(d.offsetY) + p.y * scale,
        };
      },
      { x, y },
    );
  }

  /** Points at a seat; the seat-focus status then names it, and follows its live status. */
  async hoverSeat(seatId: string): Promise<void> {
    const p = await this.seatPoint(seatId);
    await this.page.mouse.move(p.x, p.y);
    await this.page.waitForFunction(
      (id) =>
        document.querySelector('[data-testid="seat-focus"]')?.getAttribute('data-seat-id') === id,
      seatId,
      { timeout: 5_000 },
    );
  }

  async clickSeat(seatId: string): Promise<void> {
    const p = await this.seatPoint(seatId);
    await this.page.mouse.click(p.x, p.y);
  }

  /** A finger's tap on a seat (a touch context). */
  async tapSeat(seatId: string): Promise<void> {
    const p = await this.seatPoint(seatId);
    await this.page.touchscreen.tap(p.x, p.y);
  }

  /** The map's scale now (CSS px per world unit). */
  async mapScale(): Promise<number> {
    return Number(await this.map.getAttribute('data-scale'));
  }

  /**
   * Two fingers on the map (raw touch events through the DevTools protocol), `from` px apart
   * about (x, y), moved to `to` px apart in `steps` moves, then lifted.
   */
  async pinch(x: number, y: number, from: number, to: number, steps = 8): Promise<void> {
    const cdp = await this.context.newCDPSession(this.page);
    const fingers = (d: number) => [
      { x: x - d / 2, y, id: 1 },
      { x: x + d / 2, y, id: 2 },
    ];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: fingers(from) });
    for (let i = 1; i <= steps; i++) {
      const d = from + ((to - from) * i) / steps;
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: fingers(d) });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
  }

  /** Waits until the announced seat is `seatId` with `status`; returns how long it took (ms). */
  async waitSeat(seatId: string, status: SeatStatus, timeoutMs = 5_000): Promise<number> {
    const started = Date.now();
    await this.page.waitForFunction(
      ([id, want]) => {
        const el = document.querySelector('[data-testid="seat-focus"]');
        return el?.getAttribute('data-seat-id') === id && el.getAttribute('data-status') === want;
      },
      [seatId, status] as const,
      { timeout: timeoutMs, polling: 'raf' },
    );
    return Date.now() - started;
  }

  /** Hovers a seat and waits for it to show `status`. */
  async expectSeat(seatId: string, status: SeatStatus, timeoutMs = 5_000): Promise<void> {
    await this.hoverSeat(seatId);
    await this.waitSeat(seatId, status, timeoutMs);
  }

  async announced(): Promise<{ seatId: string | null; status: string | null; text: string }> {
    return this.seatFocus.evaluate((el) => ({
      seatId: el.getAttribute('data-seat-id'),
      status: el.getAttribute('data-status'),
      text: el.textContent ?? '',
    }));
  }

  async waitConnection(
    status: 'live' | 'reconnecting' | 'connecting' | 'offline',
    timeoutMs = 20_000,
  ) {
    await this.page
      .locator(`[data-testid="connection"][data-status="${status}"]`)
      .waitFor({ timeout: timeoutMs });
  }

  /** The seat's line in the cart's held seats; `confirmed`: the server has confirmed the hold. */
  cartItem(seatId: string, options: { confirmed?: boolean } = {}): Locator {
    const pending = options.confirmed === true ? ':not(.is-pending)' : '';
    return this.cart.locator(`ul[aria-label="Held seats"] li[data-seat-id="${seatId}"]${pending}`);
  }

  /** Waits for a message in the toast region. */
  async waitToast(text: string, timeoutMs = 5_000): Promise<void> {
    await this.toast.getByText(text, { exact: false }).first().waitFor({ timeout: timeoutMs });
  }

  /** The session token the app keeps in local storage (to check invariants through the API). */
  async token(): Promise<string> {
    const raw = await this.page.evaluate(() => localStorage.getItem('ticketmain.session'));
    const token = raw === null ? undefined : (JSON.parse(raw) as { token?: unknown }).token;
    if (typeof token !== 'string') throw new Error(`${this.name} has no session in local storage`);
    return token;
  }

  /**
   * Waits until the header's "N of M seats available" agrees with the server (it is recomputed
   * at most twice a second), so that a screenshot shows the settled state.
   */
  async waitAvailableCount(): Promise<number> {
    const events = await listEvents(this.baseUrl);
    const available = events.find((e) => e.id === this.eventId)?.availableCount;
    if (available === undefined) throw new Error(`no event ${this.eventId}`);
    await this.page
      .locator('.available-count')
      .getByText(`${available.toLocaleString('en-US')} of `)
      .waitFor({ timeout: 5_000 });
    return available;
  }

  /** Moves the pointer off the map (to the page's bottom-left corner): no hover, no tooltip. */
  async pointerAway(): Promise<void> {
    const height = this.page.viewportSize()?.height ?? VIEWPORT.height;
    await this.page.mouse.move(2, height - 2);
  }

  /** A screenshot of the page with the pointer off the map (no tooltip over the seats). */
  async screenshot(name: string, options: { keepPointer?: boolean } = {}): Promise<string> {
    if (options.keepPointer !== true) await this.pointerAway();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }
}
