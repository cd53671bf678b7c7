// The Ticketmain application as a Fastify instance: plugins and routes over a given hold store and
// ledger. server.ts listens; tests build it directly and talk to it.
import compress from '@fastify/compress';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Cluster, Redis } from 'ioredis';
import type { Config } from './config.js';
import { TokenSigner } from './domain/tokens.js';
import { Keys } from './holds/keys.js';
import type { HoldStore } from './holds/types.js';
import type { Ledger } from './ledger/types.js';
import type { QueueJournal } from './queue/journal.js';
import type { QueueStore } from './queue/types.js';
import auth from './plugins/auth.js';
import connections from './plugins/connections.js';
import errorHandling, { clientErrorHandler, frameworkErrors } from './plugins/errors.js';
import jobs from './plugins/jobs.js';
import metrics from './plugins/metrics.js';
import openapi from './plugins/openapi.js';
import queue from './plugins/queue.js';
import rateLimit from './plugins/rate-limit.js';
import realtime from './plugins/realtime.js';
import { memoryPresence, redisPresence } from './realtime/presence.js';
import security from './plugins/security.js';
import services from './plugins/services.js';
import stores from './plugins/stores.js';
import web from './plugins/web.js';
import webhookPlugin from './plugins/webhooks.js';
import webhooks from './webhooks/routes.js';
import adminEvents from './events/admin-routes.js';
import events from './events/routes.js';
import health from './health/routes.js';
import orderLookups from './orders/lookup-routes.js';
import orders from './orders/routes.js';
import reports from './reports/routes.js';
import queueRoutes from './queue/routes.js';
import selection from './selection/routes.js';
import sessions from './sessions/routes.js';
import tickets from './tickets/routes.js';
import waitlist from './waitlist/routes.js';

export interface AppOptions {
  config: Config;
  store: HoldStore;
  /**
   * The waiting rooms, of the same mode as `store`, which checks their admission records in every
   * hold (the Redis script reads the queue's keys; the in-process store is given this store).
   */
  queues: QueueStore;
  /** The queues' durable copy in `ledger`, the one `queues` writes behind to. */
  queueJournal: QueueJournal;
  ledger: Ledger;
  /** The secret that signs session tokens (resolved by the runtime in embedded mode). */
  sessionSecret: string;
  /** Redis for the rate-limit counters (shared by replicas); absent in embedded mode. */
  redis?: Redis | Cluster;
  logger?: FastifyServerOptions['logger'];
}

/** Most API bodies are a handful of seat ids; admin layouts raise this per route. */
export const BODY_LIMIT = 16 * 1024;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = createInstance(options);
  await registerApp(app, options);
  return app;
}

/** The bare instance: server options and type provider, no plugin yet. */
export function createInstance(options: AppOptions) {
  const { config } = options;
  return Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: BODY_LIMIT,
    // Start-up migrates, seeds and reconciles; PGlite alone takes seconds on a busy machine.
    pluginTimeout: 120_000,
    // Request ids from clients are not trusted; each replica numbers its own.
    requestIdHeader: false,
    // Refusals Fastify and Node would answer themselves, quoting the request: problem+json too.
    frameworkErrors,
    clientErrorHandler,
    // Node answers an HTTP/1.1 request without Host with an empty 400; plugins/errors.ts refuses it
    // as a problem instead.
    http: { requireHostHeader: false },
    trustProxy: config.trustProxy === false ? false : config.trustProxy,
    ajv: {
      // Reject what does not match instead of bending it into shape.
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
}

/**
 * The app's plugins and routes, on an instance of createInstance. Apart from it so that a hook
 * added in between (a test's onRoute) sees every route.
 */
export async function registerApp(
  app: ReturnType<typeof createInstance>,
  options: AppOptions,
): Promise<void> {
  const { config } = options;
  // JSON only: a text body is refused with 415 rather than half-parsed.
  app.removeContentTypeParser('text/plain');

  await app.register(errorHandling);
  await app.register(connections);
  // Before any route: @fastify/swagger describes the routes registered after it.
  await app.register(openapi);
  await app.register(metrics);
  await app.register(auth, {
    signer: new TokenSigner(options.sessionSecret, config.sessionTtlMs),
    adminToken: config.adminToken,
    metricsToken: config.metricsToken,
  });
  await app.register(security, { corsOrigins: config.corsOrigins });
  // A seat snapshot of a large venue is hundreds of kilobytes of seat ids: gzip takes it to a
  // quarter. Brotli is left out: at its default quality it costs ten times the CPU.
  await app.register(compress, {
    encodings: ['gzip', 'deflate'],
    threshold: 2_048,
    zlibOptions: { level: 4 },
  });
  await app.register(rateLimit, {
    settings: config.rateLimits,
    redis: options.redis,
    keyPrefix: config.redisKeyPrefix,
  });
  await app.register(stores, {
    store: options.store,
    queues: options.queues,
    journal: options.queueJournal,
    ledger: options.ledger,
  });
  await app.register(services, { config, sessionSecret: options.sessionSecret });
  await app.register(jobs, {
    sweepIntervalMs: config.sweepIntervalMs,
    reconcileIntervalMs: config.reconcileIntervalMs,
  });
  await app.register(webhookPlugin, { config, sessionSecret: options.sessionSecret });
  await app.register(queue, {
    tickIntervalMs: config.queueTickIntervalMs,
    seedDemo: config.seedDemo,
    joinsPerMinute: config.rateLimits.enabled ? config.rateLimits.joinsPerMinute : 0,
  });
  await app.register(realtime, {
    ...config.realtime,
    presence:
      options.redis === undefined
        ? memoryPresence
        : redisPresence(options.redis, new Keys(config.redisKeyPrefix)),
  });
  await app.register(health);
  await app.register(sessions);
  await app.register(events);
  await app.register(selection);
  await app.register(orders);
  await app.register(orderLookups);
  await app.register(adminEvents);
  await app.register(reports);
  await app.register(queueRoutes);
  await app.register(tickets);
  await app.register(waitlist);
  await app.register(webhooks);
  await app.register(web, { distDir: config.webDistDir });
}
