// Sliding-window rate-limit stores for @fastify/rate-limit: the log of the requests admitted in
// the last window, in Redis (shared by every replica) or in process (embedded mode). Unlike the
// library's fixed windows, a burst at a window's edge cannot pass twice the limit.
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Cluster, Redis } from 'ioredis';
import { defineScript, loadScript } from '../redis/lua.js';
import { SlidingLogs } from './sliding-log.js';

type Reply = { current: number; ttl: number };

/** The class @fastify/rate-limit's `store` option takes; every route shares the one store. */
function storeClass(store: FastifyRateLimitStore): FastifyRateLimitStoreCtor {
  return class {
    constructor() {
      // A constructor may hand back another object: here, the one shared store.
      return store;
    }
  } as unknown as FastifyRateLimitStoreCtor;
}

const SCRIPT = loadScript(new URL('./scripts/', import.meta.url), 'slidingWindow-1.lua');

let requests = 0;
const requestId = () => `${process.pid}.${Date.now()}.${++requests}`;

/** A store class over one Redis (or Cluster): each key is one log, on one slot. */
export function redisSlidingWindow(
  redis: Redis | Cluster,
  prefix: string,
): FastifyRateLimitStoreCtor {
  const run = defineScript(redis, 'rateLimit_slidingWindow', SCRIPT);
  const store: FastifyRateLimitStore = {
    incr(key, callback, timeWindow, max) {
      run(`${prefix}${key}`, timeWindow, max, requestId())
        .then(parseReply)
        .then(
          (reply) => callback(null, reply),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
    },
    // The key already names the route group (groupId): one log per client and group.
    child: () => store,
  };
  return storeClass(store);
}

function parseReply(reply: unknown): Reply {
  if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') {
    throw new Error(`unexpected rate-limit reply: ${JSON.stringify(reply)}`);
  }
  return { current: reply[0], ttl: reply[1] };
}

/** The same in process, for embedded mode (limits/sliding-log.ts: bounded memory). */
export function memorySlidingWindow(
  now: () => number = Date.now,
  maxKeys = 50_000,
): FastifyRateLimitStoreCtor {
  const logs = new SlidingLogs(maxKeys);
  const store: FastifyRateLimitStore = {
    incr(key, callback, timeWindow, max) {
      callback(null, logs.hit(key, now(), timeWindow, max));
    },
    child: () => store,
  };
  return storeClass(store);
}
