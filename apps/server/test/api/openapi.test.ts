// The OpenAPI document describes the whole API: every route the app registers (as its onRoute hook
// sees them) is an operation with its method, each operation has a response schema, and the admin
// operations ask for the bearer token. Swagger UI at /docs loads under its content policy.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';

interface Media {
  schema?: unknown;
}
interface Response {
  description?: string;
  content?: Record<string, Media>;
}
interface Operation {
  summary?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  responses?: Record<string, Response>;
}
interface SecurityScheme {
  type?: string;
  scheme?: string;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, SecurityScheme> };
}

/** A web build of two files, so that the web plugin registers its routes as in production. */
const WEB_FILES = ['index.html', 'assets/app.js'];

const isDocs = (url: string) =>
  url === '/openapi.json' || url === '/docs' || url.startsWith('/docs/');
/** @fastify/cors answers preflights on every path; OpenAPI has no path for "any". */
const isPreflight = (method: string, url: string) => method === 'OPTIONS' && url === '*';

/** Fastify's `/api/events/:eventId` is OpenAPI's `/api/events/{eventId}`. */
const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('OpenAPI', () => {
  let server: TestServer;
  let webDir: string;
  let doc: Document;
  const routes: Array<{ method: string; url: string }> = [];

  beforeAll(async () => {
    webDir = await mkdtemp(join(tmpdir(), 'ticketmain-web-'));
    await mkdir(join(webDir, 'assets'));
    for (const file of WEB_FILES) await writeFile(join(webDir, file), '<!doctype html>');
    server = await startServer('services', {
      env: { WEB_DIST_DIR: webDir },
      onRoute: (route: RouteOptions) => {
        for (const method of [route.method].flat()) routes.push({ method, url: route.url });
      },
    });
    const response = await fetch(`${server.url}/openapi.json`);
    expect(response.status).toBe(200);
    doc = (await response.json()) as Document;
  });
  afterAll(async () => {
    await server?.close();
    await rm(webDir, { recursive: true, force: true });
  });

  const webRoutes = () =>
    new Set([
      '/',
      '/events/*',
      '/orders/*',
      '/scan',
      '/admin',
      '/admin/*',
      ...WEB_FILES.map((file) => `/${file}`),
    ]);
  const apiRoutes = () =>
    routes.filter(
      ({ method, url }) =>
        method !== 'HEAD' && !isPreflight(method, url) && !isDocs(url) && !webRoutes().has(url),
    );
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method, op })),
    );

  it('is OpenAPI 3.1', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  });

  it('describes every route the app registers, with its method', () => {
    expect(apiRoutes().length).toBeGreaterThan(10);
    const missing = apiRoutes().filter(
      ({ method, url }) => doc.paths[toOpenApiPath(url)]?.[method.toLowerCase()] === undefined,
    );
    expect(missing).toEqual([]);
  });

  it('describes nothing else, and leaves out the web and docs routes', () => {
    const registered = new Set(apiRoutes().map((r) => `${r.method} ${toOpenApiPath(r.url)}`));
    const described = operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    expect(described.filter((op) => !registered.has(op))).toEqual([]);
    expect(routes.some((r) => r.url === '/events/*')).toBe(true);
  });

  it('gives every operation a summary, a tag and a response schema', () => {
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.summary, where).toBeTruthy();
      expect(op.tags?.length, where).toBeGreaterThan(0);
      const responses = Object.entries(op.responses ?? {});
      // @fastify/swagger's stand-in for a response without a description (or without a schema).
      expect(
        responses.filter(([, r]) => r.description === 'Default Response'),
        where,
      ).toEqual([]);
      const withSchema = responses.filter(([, r]) =>
        Object.values(r.content ?? {}).some((media) => media.schema !== undefined),
      );
      // Only the WebSocket upgrade (101, no body) has nothing to show.
      const upgradeOnly = responses.every(([status]) => status === '101');
      expect(withSchema.length > 0 || upgradeOnly, where).toBe(true);
    }
  });

  it('describes refusals as problem+json', () => {
    const holds = doc.paths['/api/events/{eventId}/holds']?.post;
    expect(Object.keys(holds?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '401', '404', '409', '422', '429', '500', '503']),
    );
    const conflict = holds?.responses?.['409'];
    expect(conflict?.description).toContain('SEAT_UNAVAILABLE');
    expect(conflict?.content?.['application/problem+json']?.schema).toMatchObject({
      required: expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']),
    });
  });

  it('declares the bearer scheme on the admin and the session operations', () => {
    const schemes = doc.components?.securitySchemes ?? {};
    const bearer = (op: Operation) =>
      (op.security ?? []).some((requirement) =>
        Object.keys(requirement).some(
          (name) => schemes[name]?.type === 'http' && schemes[name]?.scheme === 'bearer',
        ),
      );
    const admin = operations().filter(({ path }) => path.startsWith('/api/admin/'));
    // Events (create, reset, PATCH, report), the waiting room (PUT, PATCH), scanner tokens, ticket keys.
    expect(admin.length).toBeGreaterThanOrEqual(8);
    for (const { path, method, op } of admin) {
      expect(bearer(op), `${method} ${path}`).toBe(true);
      expect(op.security?.some((r) => Object.keys(r).length === 0)).toBe(false);
    }
    expect(bearer(doc.paths['/api/events/{eventId}/orders']?.post ?? {})).toBe(true);
    expect(bearer(doc.paths['/api/events/{eventId}/holds/{seatId}']?.delete ?? {})).toBe(true);
    expect(bearer(doc.paths['/api/events/{eventId}/queue']?.post ?? {})).toBe(true);
    expect(doc.paths['/api/events/{eventId}/queue/audit']?.get?.security).toBeUndefined();
    expect(bearer(doc.paths['/api/events/{eventId}/holds/best']?.post ?? {})).toBe(true);
  });

  it('serves Swagger UI at /docs with the same document', async () => {
    const page = await fetch(`${server.url}/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('swagger-ui-bundle.js');
    const bundle = await fetch(`${server.url}/docs/static/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    await bundle.arrayBuffer();
    const json = (await (await fetch(`${server.url}/docs/json`)).json()) as Document;
    expect(json.paths).toEqual(doc.paths);
  });
});
