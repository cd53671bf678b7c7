// Configuration: environment variables only, parsed and validated once at start-up.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const Env = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  REDIS_CLUSTER_NODES: Type.Optional(
    Type.String({ pattern: '^[A-Za-z0-9.-]+:[0-9]{1,5}( *, *[A-Za-z0-9.-]+:[0-9]{1,5})*$' }),
  ),
  REDIS_KEY_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_.:-]*$', default: '' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_READ_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_SCHEMA: Type.Optional(Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$' })),
  PG_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 500, default: 20 }),
  PG_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 5_000 }),
  DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  HOLD_TTL_SECONDS: Type.Integer({ minimum: 1, maximum: 86_400, default: 300 }),
  WAITLIST_OFFER_SECONDS: Type.Integer({ minimum: 1, maximum: 86_400, default: 900 }),
  CHECKOUT_WINDOW_SECONDS: Type.Integer({ minimum: 1, maximum: 600, default: 30 }),
  MAX_SEATS_PER_SESSION: Type.Integer({ minimum: 1, maximum: 100, default: 8 }),
  MAX_SEATS_PER_ADDRESS: Type.Integer({ minimum: 0, maximum: 100_000, default: 24 }),
  SESSION_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  SESSION_TTL_HOURS: Type.Integer({ minimum: 1, maximum: 24 * 365, default: 24 }),
  ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  CORS_ORIGINS: Type.String({ default: '' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  RATE_LIMITS: Type.Union([Type.Literal('on'), Type.Literal('off')], { default: 'on' }),
  RATE_LIMIT_SESSIONS_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 60 }),
  RATE_LIMIT_HOLDS_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 120 }),
  RATE_LIMIT_ORDERS_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 30 }),
  RATE_LIMIT_JOINS_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 30 }),
  TRUST_PROXY: Type.String({ default: '' }),
  FAULT_INJECTION: Type.Optional(Type.Literal('crash-after-commit')),
  RECONCILE_INTERVAL_SECONDS: Type.Integer({ minimum: 1, maximum: 3_600, default: 30 }),
  SWEEP_INTERVAL_MS: Type.Integer({ minimum: 50, maximum: 60_000, default: 250 }),
  QUEUE_TICK_INTERVAL_MS: Type.Integer({ minimum: 10, maximum: 10_000, default: 200 }),
  WS_FLUSH_INTERVAL_MS: Type.Integer({ minimum: 1, maximum: 5_000, default: 50 }),
  WS_HIGH_WATER_BYTES: Type.Integer({
    minimum: 16_384,
    maximum: 256 * 1024 * 1024,
    default: 4 * 1024 * 1024,
  }),
  WS_PING_INTERVAL_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 30_000 }),
  WS_MAX_MESSAGE_BYTES: Type.Integer({ minimum: 256, maximum: 1024 * 1024, default: 4_096 }),
  WS_MAX_SUBSCRIPTIONS: Type.Integer({ minimum: 1, maximum: 1_000, default: 10 }),
  WS_MAX_INVALID_PER_SECOND: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 5 }),
  WS_MAX_CONNECTIONS_PER_ADDRESS: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 20 }),
  WS_VIEWERS_INTERVAL_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 5_000 }),
  QUEUE_FRAME_INTERVAL_MS: Type.Integer({ minimum: 50, maximum: 60_000, default: 250 }),
  WEB_DIST_DIR: Type.Optional(Type.String({ minLength: 1 })),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+$' })),
  SEED_DEMO: Type.Union([Type.Literal('true'), Type.Literal('false')], { default: 'true' }),
  WORKERS: Type.String({ pattern: '^([1-9][0-9]{0,2}|auto)$', default: '1' }),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: Type.Union([Type.Literal('true'), Type.Literal('false')], {
    default: 'false',
  }),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 10_000 }),
  WEBHOOK_RETRY_SCALE: Type.Number({ minimum: 0.0001, maximum: 1, default: 1 }),
  WEBHOOK_POLL_MS: Type.Integer({ minimum: 10, maximum: 60_000, default: 200 }),
  WEBHOOK_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 1_000, default: 100 }),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://[^\\s]+$' })),
  MAIL_FROM: Type.String({ minLength: 3, default: 'Ticketmain <tickets@localhost>' }),
});
type Env = Static<typeof Env>;

/** A claimed delivery stays this replica's this much longer than its time-out. */
const LEASE_MARGIN_MS = 5_000;

/** One Redis server (REDIS_URL) or a Redis Cluster found from its seed nodes (REDIS_CLUSTER_NODES). */
export type RedisTarget =
  | { kind: 'standalone'; url: string }
  | { kind: 'cluster'; nodes: { host: string; port: number }[] };

export type Mode =
  | { kind: 'embedded'; dataDir: string }
  | {
      kind: 'services';
      redis: RedisTarget;
      databaseUrl: string;
      /** A read replica for the reads that tolerate lag (event list and lookup, order lookup). */
      databaseReadUrl: string | undefined;
      databaseSchema: string | undefined;
    };

export interface Config {
  port: number;
  host: string;
  mode: Mode;
  redisKeyPrefix: string;
  pg: { poolSize: number; statementTimeoutMs: number };
  holdTtlMs: number;
  /** How long a waiting-list offer lasts (docs/design.md, "The waiting list"). */
  waitlistOfferMs: number;
  checkoutWindowMs: number;
  maxSeatsPerSession: number;
  /** Live holds all sessions of one client address may have per event; 0: no cap. */
  maxSeatsPerAddress: number;
  /** Undefined in embedded mode until the runtime loads or creates one in DATA_DIR. */
  sessionSecret: string | undefined;
  sessionTtlMs: number;
  adminToken: string | undefined;
  /** Bearer token of GET /metrics (the admin token is accepted too); without either, 404. */
  metricsToken: string | undefined;
  corsOrigins: string[];
  logLevel: string;
  rateLimits: {
    enabled: boolean;
    sessionsPerMinute: number;
    holdsPerMinute: number;
    ordersPerMinute: number;
    /** Joins one session may make of one waiting room (counted in the join's own store step). */
    joinsPerMinute: number;
  };
  /** Fastify trustProxy: false, or the proxies' addresses (X-Forwarded-For is believed from them). */
  trustProxy: false | string[];
  /** Test-only fault hook; refused when NODE_ENV is production. */
  faultInjection: 'crash-after-commit' | undefined;
  reconcileIntervalMs: number;
  sweepIntervalMs: number;
  /** How often each replica's admission ticker draws due queues and admits the next numbers. */
  queueTickIntervalMs: number;
  seedDemo: boolean;
  realtime: {
    flushIntervalMs: number;
    highWaterBytes: number;
    lowWaterBytes: number;
    pingIntervalMs: number;
    maxMessageBytes: number;
    maxSubscriptions: number;
    /** Invalid messages a connection may send in any second; one more closes it (1008). */
    maxInvalidPerSecond: number;
    /** Open WebSockets per client address (IPv6: its /64); 0: no cap. */
    maxConnectionsPerAddress: number;
    /** How often each replica reports and learns how many look at each event. */
    viewersIntervalMs: number;
    /** How often each watched waiting room's state is read for its `queue` frame. */
    queueFrameIntervalMs: number;
  };
  /** The built web app to serve at /; undefined: the one of this repository, if built. */
  webDistDir: string | undefined;
  /** The web app's origin, for links sent out (an order's url); '': links are paths. */
  publicUrl: string;
  /** Server processes sharing the port (Node's cluster module); 1 in embedded mode. */
  workers: number;
  /** The outbox dispatcher: webhooks and mails (API.md "Webhooks"). */
  outbox: {
    allowPrivateTargets: boolean;
    /** A delivery's time-out (10 s). */
    timeoutMs: number;
    /** How long a claimed delivery is this replica's: its time-out and a margin. */
    leaseMs: number;
    /** Multiplies the retry schedule (5 s, 30 s, … 6 h, for 3 days); below 1 for tests only. */
    retryScale: number;
    pollMs: number;
    concurrency: number;
  };
  mail: {
    /** SMTP server of the confirmations; undefined: .eml files in `dir`. */
    smtpUrl: string | undefined;
    from: string;
    dir: string;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from an environment; throws ConfigError naming every bad value. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.keys(Env.properties);
  const raw: Record<string, unknown> = {};
  for (const key of known) {
    const value = source[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const converted = Value.Convert(Env, Value.Default(Env, raw));
  const problems = [...Value.Errors(Env, converted)].map(
    (e) =>
      `${e.path.slice(1) || 'environment'}: ${e.message} (got ${JSON.stringify(raw[e.path.slice(1)] ?? null)})`,
  );
  if (problems.length > 0) throw new ConfigError(problems);
  const env = converted as Env;
  return toConfig(env, source.NODE_ENV);
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function toConfig(env: Env, nodeEnv: string | undefined): Config {
  const mode = resolveMode(env);
  if (env.FAULT_INJECTION !== undefined && nodeEnv === 'production') {
    throw new ConfigError(['FAULT_INJECTION: not allowed when NODE_ENV is production']);
  }
  if (mode.kind === 'services' && env.SESSION_SECRET === undefined) {
    throw new ConfigError([
      'SESSION_SECRET: required with REDIS_URL and DATABASE_URL (32+ characters)',
    ]);
  }
  return {
    port: env.PORT,
    host: env.HOST,
    mode,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    pg: { poolSize: env.PG_POOL_SIZE, statementTimeoutMs: env.PG_STATEMENT_TIMEOUT_MS },
    holdTtlMs: env.HOLD_TTL_SECONDS * 1000,
    waitlistOfferMs: env.WAITLIST_OFFER_SECONDS * 1000,
    checkoutWindowMs: env.CHECKOUT_WINDOW_SECONDS * 1000,
    maxSeatsPerSession: env.MAX_SEATS_PER_SESSION,
    // RATE_LIMITS=off (bench, acceptance runs from one address) turns the address cap off too.
    maxSeatsPerAddress: env.RATE_LIMITS === 'on' ? env.MAX_SEATS_PER_ADDRESS : 0,
    sessionSecret: env.SESSION_SECRET,
    sessionTtlMs: env.SESSION_TTL_HOURS * 3_600_000,
    adminToken: env.ADMIN_TOKEN,
    metricsToken: env.METRICS_TOKEN,
    corsOrigins: splitList(env.CORS_ORIGINS),
    logLevel: env.LOG_LEVEL,
    rateLimits: {
      enabled: env.RATE_LIMITS === 'on',
      sessionsPerMinute: env.RATE_LIMIT_SESSIONS_PER_MINUTE,
      holdsPerMinute: env.RATE_LIMIT_HOLDS_PER_MINUTE,
      ordersPerMinute: env.RATE_LIMIT_ORDERS_PER_MINUTE,
      joinsPerMinute: env.RATE_LIMIT_JOINS_PER_MINUTE,
    },
    trustProxy: env.TRUST_PROXY === '' ? false : splitList(env.TRUST_PROXY),
    faultInjection: env.FAULT_INJECTION,
    reconcileIntervalMs: env.RECONCILE_INTERVAL_SECONDS * 1000,
    sweepIntervalMs: env.SWEEP_INTERVAL_MS,
    queueTickIntervalMs: env.QUEUE_TICK_INTERVAL_MS,
    seedDemo: env.SEED_DEMO === 'true',
    realtime: {
      flushIntervalMs: env.WS_FLUSH_INTERVAL_MS,
      highWaterBytes: env.WS_HIGH_WATER_BYTES,
      lowWaterBytes: Math.floor(env.WS_HIGH_WATER_BYTES / 4),
      pingIntervalMs: env.WS_PING_INTERVAL_MS,
      maxMessageBytes: env.WS_MAX_MESSAGE_BYTES,
      maxSubscriptions: env.WS_MAX_SUBSCRIPTIONS,
      // Not a rate limit a bench from one address could trip: it stays with RATE_LIMITS=off.
      maxInvalidPerSecond: env.WS_MAX_INVALID_PER_SECOND,
      // A bench opens thousands of sockets from one address: RATE_LIMITS=off lifts this cap too.
      maxConnectionsPerAddress: env.RATE_LIMITS === 'on' ? env.WS_MAX_CONNECTIONS_PER_ADDRESS : 0,
      viewersIntervalMs: env.WS_VIEWERS_INTERVAL_MS,
      queueFrameIntervalMs: env.QUEUE_FRAME_INTERVAL_MS,
    },
    webDistDir: env.WEB_DIST_DIR,
    publicUrl: env.PUBLIC_URL ?? '',
    workers: resolveWorkers(env.WORKERS, mode),
    outbox: {
      allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true',
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      leaseMs: env.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS,
      retryScale: env.WEBHOOK_RETRY_SCALE,
      pollMs: env.WEBHOOK_POLL_MS,
      concurrency: env.WEBHOOK_CONCURRENCY,
    },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, dir: join(env.DATA_DIR, 'mail') },
  };
}

function resolveMode(env: Env): Mode {
  const { REDIS_URL: url, REDIS_CLUSTER_NODES: nodes, DATABASE_URL: databaseUrl } = env;
  if (url !== undefined && nodes !== undefined) {
    throw new ConfigError(['REDIS_URL, REDIS_CLUSTER_NODES: set one of them, not both']);
  }
  const redis: RedisTarget | undefined =
    nodes !== undefined
      ? { kind: 'cluster', nodes: parseNodes(nodes) }
      : url !== undefined
        ? { kind: 'standalone', url }
        : undefined;
  if (env.DATABASE_READ_URL !== undefined && databaseUrl === undefined) {
    throw new ConfigError(['DATABASE_READ_URL: needs DATABASE_URL (it names a replica of it)']);
  }
  if (redis === undefined && databaseUrl === undefined) {
    return { kind: 'embedded', dataDir: env.DATA_DIR };
  }
  if (redis === undefined || databaseUrl === undefined) {
    const problem =
      redis === undefined
        ? 'REDIS_URL or REDIS_CLUSTER_NODES: one is required when DATABASE_URL is set'
        : `DATABASE_URL: required when ${url !== undefined ? 'REDIS_URL' : 'REDIS_CLUSTER_NODES'} is set`;
    throw new ConfigError([
      `${problem} (set Redis and DATABASE_URL for Redis + PostgreSQL, or neither for embedded mode)`,
    ]);
  }
  return {
    kind: 'services',
    redis,
    databaseUrl,
    databaseReadUrl: env.DATABASE_READ_URL,
    databaseSchema: env.DATABASE_SCHEMA,
  };
}

/** "host:port,host:port" (already checked by the schema's pattern). */
function parseNodes(list: string): { host: string; port: number }[] {
  return splitList(list).map((node) => {
    const colon = node.lastIndexOf(':');
    const port = Number(node.slice(colon + 1));
    if (port < 1 || port > 65535) {
      throw new ConfigError([`REDIS_CLUSTER_NODES: port out of range in ${JSON.stringify(node)}`]);
    }
    return { host: node.slice(0, colon), port };
  });
}

/** "auto" is one per core; embedded mode is one process (PGlite and the in-process hold store). */
function resolveWorkers(value: string, mode: Mode): number {
  const workers = value === 'auto' ? availableParallelism() : Number(value);
  if (workers > 1 && mode.kind === 'embedded') {
    throw new ConfigError([
      `WORKERS: embedded mode runs in one process (got ${value}, ${workers} workers): PGlite and ` +
        'the in-process hold store cannot be shared between processes. Set REDIS_URL (or ' +
        'REDIS_CLUSTER_NODES) and DATABASE_URL to run several workers, or leave WORKERS at 1.',
    ]);
  }
  return workers;
}
