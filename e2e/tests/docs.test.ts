// Swagger UI at /docs in a real browser, under the server's content policy: it draws every
// operation without a blocked script or style, and its "Try it out" calls the API with the token
// given under Authorize.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, VIEWPORT } from '../support/browser.js';
import { TestServer } from '../support/server.js';

describe('the API docs at /docs', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  /** Console errors and uncaught exceptions: a CSP refusal shows up here. */
  const problems: string[] = [];
  const apiCalls: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([TestServer.start(), launchBrowser()]);
    page = await browser.newPage({ viewport: VIEWPORT });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('response', (r) => {
      const { pathname } = new URL(r.url());
      if (pathname.startsWith('/api/'))
        apiCalls.push(`${r.request().method()} ${pathname} ${r.status()}`);
    });
    await page.goto(`${server.url}/docs/`, { waitUntil: 'networkidle' });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('draws every operation with nothing blocked', async () => {
    await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(13);
    expect(await page.locator('.title').first().textContent()).toContain('Ticketmain API');
    expect(problems).toEqual([]);
  });

  it('tries a session, then a hold with its token', async () => {
    const sessions = page.locator('#operations-sessions-post_api_sessions');
    await sessions.locator('button.opblock-summary-control').click();
    await sessions.getByRole('button', { name: 'Try it out' }).click();
    await sessions.getByRole('button', { name: 'Execute' }).click();
    const answer = sessions.locator('.live-responses-table .response-col_description pre').first();
    await answer.waitFor();
    const { token } = JSON.parse((await answer.textContent()) ?? '{}') as { token: string };
    expect(token).toBeTruthy();

    await page
      .getByRole('button', { name: /Authorize/ })
      .first()
      .click();
    const scheme = page.locator('.auth-container').filter({ hasText: 'session' });
    await scheme.locator('input').fill(token);
    await scheme.locator('button.authorize').click();
    await page.getByRole('button', { name: 'Close' }).first().click();

    const holds = page.locator('#operations-holds-post_api_events__eventId__holds');
    await holds.locator('button.opblock-summary-control').click();
    await holds.getByRole('button', { name: 'Try it out' }).click();
    await holds.locator('input[placeholder="eventId"]').fill('arena-demo');
    await holds.locator('textarea.body-param__text').fill('{"seatIds":["C12"]}');
    await holds.getByRole('button', { name: 'Execute' }).click();
    await expect.poll(() => apiCalls).toContain('POST /api/events/arena-demo/holds 201');
    expect(apiCalls).toContain('POST /api/sessions 201');
    expect(problems).toEqual([]);
  });
});
