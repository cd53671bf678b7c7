// Browser-facing protections: security headers (helmet) with a content policy that fits the seat
// map (same-origin scripts, WebSocket back to this host), HSTS over HTTPS only, CORS limited to
// CORS_ORIGINS, and the no-store hook of the answers that carry a token or an order.
import cors from '@fastify/cors';
import type { onSendHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/** helmet's default policy: a year, subdomains included. */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * onSend hook of the routes whose answers (refusals too) are one session's or an operator's: a
 * token, an order, a seat snapshot with the caller's holds, admin and metrics answers. No cache,
 * shared or the browser's own, may keep them.
 */
export const noStore: onSendHookHandler = (_request, reply, payload, done) => {
  void reply.header('cache-control', 'no-store');
  done(null, payload);
};

export default fp<{ corsOrigins: string[] }>(
  async (app, { corsOrigins }) => {
    // helmet itself, built once: @fastify/helmet rebuilds the middleware (re-parsing the content
    // policy) on every request, which measured 6% of a hold's CPU.
    const setSecurityHeaders = helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          // 'self' covers the WebSocket back to this host: CSP Level 3 matches ws: and wss: to an
          // http: and https: origin. A bare ws: or wss: would let a script reach any host.
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          // Off: it would send a plain-HTTP deployment's (or a LAN demo's) assets to https.
          upgradeInsecureRequests: null,
        },
      },
      // The API is called cross-origin only by the origins CORS allows.
      crossOriginResourcePolicy: { policy: 'same-site' },
      // Set below, over HTTPS only: on plain HTTP the header means nothing to a browser (RFC 6797
      // §8.1), and a LAN demo or a proxy's plain-HTTP hop should not announce it.
      strictTransportSecurity: false,
    });
    app.addHook('onRequest', (request, reply, done) => {
      // With TRUST_PROXY, request.protocol is the proxy's X-Forwarded-Proto.
      if (request.protocol === 'https') reply.raw.setHeader('strict-transport-security', HSTS);
      setSecurityHeaders(request.raw, reply.raw, (err?: unknown) =>
        done(err instanceof Error ? err : undefined),
      );
    });
    await app.register(cors, {
      origin: corsOrigins.length === 0 ? false : corsOrigins,
      methods: ['GET', 'POST', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key'],
      maxAge: 600,
    });
  },
  { name: 'security' },
);
