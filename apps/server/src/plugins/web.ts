// Serves the built seat-map app (apps/web/dist) at /, with the app's own routes falling back to
// index.html, and never its source maps. A browser that asks for a page at an address the app
// does not know gets the app (status 404), which shows its own not-found page; anything else gets
// the problem+json 404. Absent a build (tests, API-only replicas), nothing is served.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

/** Addresses of the server itself, never of the app: their 404 stays problem+json. */
const SERVER_PATHS = [
  '/api/',
  '/ws',
  '/docs',
  '/openapi.json',
  '/metrics',
  '/health',
  '/ready',
  '/assets/',
];

/** apps/server/{src,dist}/plugins → apps/web/dist */
const DEFAULT_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export default fp<{ distDir: string | undefined }>(
  async (app, { distDir }) => {
    const root = distDir ?? DEFAULT_DIST;
    if (!existsSync(`${root}/index.html`)) {
      app.log.info({ root }, 'no web build found; serving the API only');
      return;
    }
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      // The build keeps its source maps for decoding a stack trace offline (vite.config.ts); they
      // are the whole source, so no route is made for them and they answer 404.
      globIgnore: ['**/*.map'],
      // The header is set below; left on, @fastify/static would overwrite it with max-age=0.
      cacheControl: false,
      // Hashed asset names never change; index.html must always be fresh.
      setHeaders: (res, path) =>
        res.setHeader(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        ),
    });
    const index = (_request: unknown, reply: { sendFile(file: string): unknown }) =>
      reply.sendFile('index.html');
    // "/" itself is one of the files @fastify/static registered (index.html).
    app.get('/events/*', { schema: { hide: true } }, index);
    // An order's page (its key is in the query) and the gates' scanner.
    app.get('/orders/*', { schema: { hide: true } }, index);
    app.get('/scan', { schema: { hide: true } }, index);
    app.get('/admin', { schema: { hide: true } }, index);
    app.get('/admin/*', { schema: { hide: true } }, index);
    app.notFoundPage = (request, reply) => {
      const page =
        request.method === 'GET' &&
        (request.headers.accept ?? '').includes('text/html') &&
        !SERVER_PATHS.some((path) => request.url.startsWith(path));
      if (page) void reply.code(404).sendFile('index.html');
      return page;
    };
  },
  { name: 'web', dependencies: ['errors'] },
);
