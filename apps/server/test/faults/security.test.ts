// Identity and browser protections: forged, expired and truncated tokens, admin routes without
// a configured token, CORS limited to CORS_ORIGINS, security headers (the content policy, HSTS
// over HTTPS only, no-store on what carries a token or an order), no source map served, and no
// session's id in an answer about another.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenSigner } from '../../src/domain/tokens.js';
import { Client } from '../support/client.js';
import { ADMIN_TOKEN, MODES, startServer, type TestServer } from '../support/server.js';

const EVENT = 'arena-demo';
const ALLOWED_ORIGIN = 'https://tickets.example.com';

/** A web build of three files: the page, a bundle and the bundle's source map. */
function webBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ticketmain-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script src="/assets/app.js"></script>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1);\n');
  writeFileSync(join(dir, 'assets', 'app.js.map'), '{"version":3,"sources":["secret.ts"]}');
  return dir;
}

describe.each(MODES)('security (%s)', (mode) => {
  let server: TestServer;
  let noAdmin: TestServer;
  const webDir = webBuild();
  beforeAll(async () => {
    server = await startServer(mode, {
      // The test's own requests come from 127.0.0.1, as from a proxy in front of the server.
      env: { CORS_ORIGINS: ALLOWED_ORIGIN, TRUST_PROXY: '127.0.0.1', WEB_DIST_DIR: webDir },
    });
    noAdmin = await startServer(mode, { env: { ADMIN_TOKEN: '' } });
  });
  afterAll(async () => {
    await server.close();
    await noAdmin.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('refuses tokens from another secret, expired or truncated', async () => {
    const real = await Client.session(server.url);
    const foreign = new TokenSigner('another-secret-another-secret-0000', 60_000).issue().token;
    // Signed with the server's own secret, but a minute past its expiry.
    const expired = new TokenSigner(
      server.config.sessionSecret!,
      1,
      () => Date.now() - 60_000,
    ).issue().token;
    const [id, expiry, mac] = real.token!.split('.') as [string, string, string];
    const tampered = [
      foreign,
      expired,
      real.token!.slice(0, -5),
      `${id}.${expiry}`,
      `${id}.${Number(expiry) + 1}.${mac}`,
      `${id.replace(/^./, id[0] === 'a' ? 'b' : 'a')}.${expiry}.${mac}`,
      '',
      'null',
    ];
    for (const token of tampered) {
      const reply = await new Client(server.url, token).hold(EVENT, ['T1']);
      expect(reply.status, token).toBe(401);
      expect(reply.body.code).toBe('UNAUTHENTICATED');
    }
    expect((await real.hold(EVENT, ['T1'])).status).toBe(201);
  });

  it('admin routes answer 404 when no admin token is configured', async () => {
    const reply = await new Client(noAdmin.url, 'anything-at-all-0000').request(
      'POST',
      `/api/admin/events/${EVENT}/reset`,
    );
    expect(reply.status).toBe(404);
    expect((reply.body as { code: string }).code).toBe('NOT_FOUND');
  });

  it('keeps /metrics to operators: the metrics or admin token, else 401; 404 without either', async () => {
    const anonymous = await new Client(server.url).request('GET', '/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.contentType).toContain('application/problem+json');
    const buyer = await Client.session(server.url);
    expect((await buyer.request('GET', '/metrics')).status).toBe(401);
    const admin = await new Client(server.url, ADMIN_TOKEN).request<string>('GET', '/metrics');
    expect(admin.status).toBe(200);
    expect(admin.body).toMatch(/^ticketmain_ws_clients /m);
    expect((await new Client(noAdmin.url).request('GET', '/metrics')).status).toBe(404);
    const scraper = await startServer(mode, { env: { METRICS_TOKEN: 'scrape-token-0123456789' } });
    try {
      const scraped = new Client(scraper.url, 'scrape-token-0123456789');
      expect((await scraped.request('GET', '/metrics')).status).toBe(200);
      // The metrics token opens /metrics only, not the admin routes.
      expect((await scraped.request('POST', `/api/admin/events/${EVENT}/reset`)).status).toBe(401);
    } finally {
      await scraper.close();
    }
  });

  it('allows CORS for the configured origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/api/events`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    expect((await preflight(ALLOWED_ORIGIN)).headers.get('access-control-allow-origin')).toBe(
      ALLOWED_ORIGIN,
    );
    expect(
      (await preflight('https://evil.example.net')).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });

  it('sends security headers', async () => {
    const response = await fetch(`${server.url}/api/events`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain('connect-src');
    // A plain-HTTP deployment must still load its own assets.
    expect(policy).not.toContain('upgrade-insecure-requests');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it("lets scripts connect to this origin only (its WebSocket included): connect-src 'self'", async () => {
    const policy = (await fetch(`${server.url}/`)).headers.get('content-security-policy') ?? '';
    const connect = policy.split(';').find((d) => d.trim().startsWith('connect-src'));
    expect(connect?.trim()).toBe("connect-src 'self'");
  });

  it('sends HSTS over HTTPS only: never on plain HTTP, and X-Forwarded-Proto from a trusted proxy', async () => {
    const hsts = async (target: TestServer, headers: Record<string, string> = {}) =>
      (await target.app.inject({ method: 'GET', url: '/health', headers })).headers[
        'strict-transport-security'
      ];
    expect(
      (await fetch(`${server.url}/health`)).headers.get('strict-transport-security'),
    ).toBeNull();
    expect(await hsts(server, { 'x-forwarded-proto': 'https' })).toBe(
      'max-age=31536000; includeSubDomains',
    );
    expect(await hsts(server, { 'x-forwarded-proto': 'http' })).toBeUndefined();
    // noAdmin trusts no proxy: the header is anybody's.
    expect(await hsts(noAdmin, { 'x-forwarded-proto': 'https' })).toBeUndefined();
  });

  it('answers no-store to what carries a token or an order, and to admin and metrics answers', async () => {
    const noStore = (reply: { headers: Headers }) => reply.headers.get('cache-control');
    const session = await fetch(`${server.url}/api/sessions`, { method: 'POST' });
    expect(session.status).toBe(201);
    expect(noStore(session)).toBe('no-store');
    const buyer = await Client.session(server.url);
    await buyer.hold(EVENT, ['T9']);
    const mine = await buyer.seats(EVENT);
    expect(mine.status).toBe(200);
    expect(noStore(mine)).toBe('no-store');
    const placed = await buyer.order(EVENT, ['T9'], 'no-store');
    const replayed = await buyer.order(EVENT, ['T9'], 'no-store');
    expect([placed.status, replayed.status]).toEqual([201, 200]);
    const read = await buyer.request('GET', `/api/orders/${placed.body.orderId}`);
    expect(read.status).toBe(200);
    const refused = await buyer.order(EVENT, ['T9'], 'other-seats-same-key-no');
    const admin = new Client(server.url, ADMIN_TOKEN);
    const reset = await admin.request('POST', '/api/admin/events/no-such-event/reset');
    const anonymousAdmin = await new Client(server.url).request('POST', '/api/admin/events', {
      body: {},
    });
    const metrics = await admin.request('GET', '/metrics');
    for (const reply of [placed, replayed, read, refused, reset, anonymousAdmin, metrics]) {
      expect(noStore(reply), String(reply.status)).toBe('no-store');
    }
    // Without a token the snapshot is the same for everybody.
    expect(noStore(await new Client(server.url).seats(EVENT))).toBeNull();
  });

  it('serves the web build but never its source maps', async () => {
    const bundle = await fetch(`${server.url}/assets/app.js`);
    expect(bundle.status).toBe(200);
    const map = await fetch(`${server.url}/assets/app.js.map`);
    expect(map.status).toBe(404);
    expect(map.headers.get('content-type')).toContain('application/problem+json');
    expect(await map.text()).not.toContain('secret.ts');
  });

  it("serves the app (200) at an order's page and at the scanner, whatever the client accepts", async () => {
    for (const path of ['/orders/any-order?key=abc', '/scan']) {
      const reply = await fetch(`${server.url}${path}`);
      expect(reply.status, path).toBe(200);
      expect(reply.headers.get('content-type'), path).toContain('text/html');
      expect(await reply.text(), path).toContain('/assets/app.js');
    }
  });

  it("answers a browser's unknown page with the app (404), and everything else with problem+json", async () => {
    const page = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    const unknown = await fetch(`${server.url}/no/such/page`, { headers: page });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('text/html');
    expect(await unknown.text()).toContain('/assets/app.js');
    for (const path of ['/no/such/page', '/api/nothing', '/assets/missing.js', '/docs/x/y']) {
      const headers = path === '/no/such/page' ? {} : page;
      const reply = await fetch(`${server.url}${path}`, { headers });
      expect(reply.status, path).toBe(404);
      expect(reply.headers.get('content-type'), path).toContain('application/problem+json');
    }
  });

  it("never puts another session's id in an answer", async () => {
    const a = await Client.session(server.url);
    const b = await Client.session(server.url);
    const idOf = (client: Client) => client.token!.split('.')[0]!;
    await a.hold(EVENT, ['T5']);
    const order = await a.order(EVENT, ['T5'], 'mine');
    await b.hold(EVENT, ['T6']);
    const answers = [
      await b.seats(EVENT),
      await b.hold(EVENT, ['T5']),
      await b.release(EVENT, 'T5'),
      await b.request('GET', `/api/orders/${order.body.orderId}`),
      await new Client(server.url).seats(EVENT),
      await new Client(server.url).request('GET', '/api/events'),
    ];
    for (const answer of answers) {
      expect(JSON.stringify(answer.body)).not.toContain(idOf(a));
    }
    expect(JSON.stringify(answers[0]!.body)).not.toContain(idOf(b));
  });
});
