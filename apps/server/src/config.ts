// Configuration: environment variables only, parsed and validated once at start-up.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const Env = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  REDIS_KEY_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_.:-]*$', default: '' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_SCHEMA: Type.Optional(Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$' })),
  PG_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 500, default: 20 }),
  PG_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 5_000 }),
  DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  HOLD_TTL_SECONDS: Type.Integer({ minimum: 1, maximum: 86_400, default: 300 }),
  CHECKOUT_WINDOW_SECONDS: Type.Integer({ minimum: 1, maximum: 600, default: 30 }),
  MAX_SEATS_PER_SESSION: Type.Integer({ minimum: 1, maximum: 100, default: 8 }),
  SESSION_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  SESSION_TTL_HOURS: Type.Integer({ minimum: 1, maximum: 24 * 365, default: 24 }),
  ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  CORS_ORIGINS: Type.String({ default: '' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  RATE_LIMITS: Type.Union([Type.Literal('on'), Type.Literal('off')], { default: 'on' }),
  RECONCILE_INTERVAL_SECONDS: Type.Integer({ minimum: 1, maximum: 3_600, default: 30 }),
  SWEEP_INTERVAL_MS: Type.Integer({ minimum: 50, maximum: 60_000, default: 250 }),
  WS_FLUSH_INTERVAL_MS: Type.Integer({ minimum: 1, maximum: 5_000, default: 50 }),
  WS_HIGH_WATER_BYTES: Type.Integer({
    minimum: 16_384,
    maximum: 256 * 1024 * 1024,
    default: 4 * 1024 * 1024,
  }),
  WS_PING_INTERVAL_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 30_000 }),
  WS_MAX_MESSAGE_BYTES: Type.Integer({ minimum: 256, maximum: 1024 * 1024, default: 4_096 }),
  WS_MAX_SUBSCRIPTIONS: Type.Integer({ minimum: 1, maximum: 1_000, default: 10 }),
  WEB_DIST_DIR: Type.Optional(Type.String({ minLength: 1 })),
  SEED_DEMO: Type.Union([Type.Literal('true'), Type.Literal('false')], { default: 'true' }),
});
type Env = Static<typeof Env>;

export type Mode =
  | { kind: 'embedded'; dataDir: string }
  | {
      kind: 'services';
      redisUrl: string;
      databaseUrl: string;
      databaseSchema: string | undefined;
    };

export interface Config {
  port: number;
  host: string;
  mode: Mode;
  redisKeyPrefix: string;
  pg: { poolSize: number; statementTimeoutMs: number };
  holdTtlMs: number;
  checkoutWindowMs: number;
  maxSeatsPerSession: number;
  /** Undefined in embedded mode until the runtime loads or creates one in DATA_DIR. */
  sessionSecret: string | undefined;
  sessionTtlMs: number;
  adminToken: string | undefined;
  corsOrigins: string[];
  logLevel: string;
  rateLimits: boolean;
  reconcileIntervalMs: number;
  sweepIntervalMs: number;
  seedDemo: boolean;
  realtime: {
    flushIntervalMs: number;
    highWaterBytes: number;
    lowWaterBytes: number;
    pingIntervalMs: number;
    maxMessageBytes: number;
    maxSubscriptions: number;
  };
  /** The built web app to serve at /; undefined: the one of this repository, if built. */
  webDistDir: string | undefined;
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
  return toConfig(env);
}

function toConfig(env: Env): Config {
  const mode = resolveMode(env);
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
    checkoutWindowMs: env.CHECKOUT_WINDOW_SECONDS * 1000,
    maxSeatsPerSession: env.MAX_SEATS_PER_SESSION,
    sessionSecret: env.SESSION_SECRET,
    sessionTtlMs: env.SESSION_TTL_HOURS * 3_600_000,
    adminToken: env.ADMIN_TOKEN,
    corsOrigins: env.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter((o) => o.length > 0),
    logLevel: env.LOG_LEVEL,
    rateLimits: env.RATE_LIMITS === 'on',
    reconcileIntervalMs: env.RECONCILE_INTERVAL_SECONDS * 1000,
    sweepIntervalMs: env.SWEEP_INTERVAL_MS,
    seedDemo: env.SEED_DEMO === 'true',
    realtime: {
      flushIntervalMs: env.WS_FLUSH_INTERVAL_MS,
      highWaterBytes: env.WS_HIGH_WATER_BYTES,
      lowWaterBytes: Math.floor(env.WS_HIGH_WATER_BYTES / 4),
      pingIntervalMs: env.WS_PING_INTERVAL_MS,
      maxMessageBytes: env.WS_MAX_MESSAGE_BYTES,
      maxSubscriptions: env.WS_MAX_SUBSCRIPTIONS,
    },
    webDistDir: env.WEB_DIST_DIR,
  };
}

function resolveMode(env: Env): Mode {
  const { REDIS_URL: redisUrl, DATABASE_URL: databaseUrl } = env;
  if (redisUrl === undefined && databaseUrl === undefined) {
    return { kind: 'embedded', dataDir: env.DATA_DIR };
  }
  if (redisUrl === undefined || databaseUrl === undefined) {
    const missing = redisUrl === undefined ? 'REDIS_URL' : 'DATABASE_URL';
    throw new ConfigError([
      `${missing}: required when ${missing === 'REDIS_URL' ? 'DATABASE_URL' : 'REDIS_URL'} is set ` +
        '(set both for Redis + PostgreSQL, or neither for embedded mode)',
    ]);
  }
  return { kind: 'services', redisUrl, databaseUrl, databaseSchema: env.DATABASE_SCHEMA };
}
