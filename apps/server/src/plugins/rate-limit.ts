// Rate limits (@fastify/rate-limit): per address on session creation, per session on holds and
// orders; sliding windows, counted in Redis when there is one, so a limit holds across replicas.
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { Cluster, Redis } from 'ioredis';
import { ErrorCode } from '@ticketmain/protocol';
import { AppError } from '../domain/errors.js';
import { clientAddress } from '../limits/client-address.js';
import { memorySlidingWindow, redisSlidingWindow } from '../limits/sliding-window.js';

export interface RateLimitSettings {
  enabled: boolean;
  sessionsPerMinute: number;
  holdsPerMinute: number;
  ordersPerMinute: number;
}

export interface RateLimitOptions {
  settings: RateLimitSettings;
  redis: Redis | Cluster | undefined;
  keyPrefix: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Route options that limit a route per IP or per session (empty when limits are off). */
    limits: {
      sessions: { rateLimit?: RouteLimit };
      holds: { rateLimit?: RouteLimit };
      orders: { rateLimit?: RouteLimit };
    };
  }
}

interface RouteLimit {
  groupId: string;
  max: number;
  timeWindow: number;
  keyGenerator: (request: FastifyRequest) => string;
}

const MINUTE = 60_000;

export default fp<RateLimitOptions>(
  async (app, { settings, redis, keyPrefix }) => {
    if (!settings.enabled) {
      app.decorate('limits', { sessions: {}, holds: {}, orders: {} });
      return;
    }
    const nameSpace = `${keyPrefix}rate:`;
    await app.register(rateLimit, {
      global: false,
      store: redis === undefined ? memorySlidingWindow() : redisSlidingWindow(redis, nameSpace),
      // A limiter outage must not take the sale down with it.
      skipOnError: true,
      errorResponseBuilder: (_request, context) =>
        new AppError(ErrorCode.RateLimited, `Too many requests; try again in ${context.after}`, {
          retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)),
        }),
    });
    const byIp = (request: FastifyRequest) => `ip:${clientAddress(request.ip)}`;
    // Per session when the token is valid; a request without one is limited by its IP.
    const bySession = (request: FastifyRequest) => {
      const session = app.sessionOf(request);
      return session === null ? byIp(request) : `s:${session.sessionId}`;
    };
    // groupId: every route of a group (hold and release) draws on one budget.
    const limit = (groupId: string, max: number, keyGenerator: RouteLimit['keyGenerator']) => ({
      rateLimit: { groupId, max, timeWindow: MINUTE, keyGenerator },
    });
    app.decorate('limits', {
      sessions: limit('sessions', settings.sessionsPerMinute, byIp),
      holds: limit('holds', settings.holdsPerMinute, bySession),
      orders: limit('orders', settings.ordersPerMinute, bySession),
    });
  },
  { name: 'rate-limit', dependencies: ['errors', 'auth'] },
);
