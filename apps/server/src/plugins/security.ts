// Browser-facing protections: security headers (helmet) with a content policy that fits the seat
// map (same-origin scripts, WebSocket back to this host), and CORS limited to CORS_ORIGINS.
import cors from '@fastify/cors';
import fp from 'fastify-plugin';
import helmet from 'helmet';

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
          connectSrc: ["'self'", 'ws:', 'wss:'],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          // Off: it would send a plain-HTTP deployment's (or a LAN demo's) assets to https.
          upgradeInsecureRequests: null,
        },
      },
      // The API is called cross-origin only by the origins CORS allows.
      crossOriginResourcePolicy: { policy: 'same-site' },
    });
    app.addHook('onRequest', (request, reply, done) =>
      setSecurityHeaders(request.raw, reply.raw, (err?: unknown) =>
        done(err instanceof Error ? err : undefined),
      ),
    );
    await app.register(cors, {
      origin: corsOrigins.length === 0 ? false : corsOrigins,
      methods: ['GET', 'POST', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key'],
      maxAge: 600,
    });
  },
  { name: 'security' },
);
