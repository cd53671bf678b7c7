// The sliding-window rate-limit stores: no burst at a window's edge passes the limit twice.
import { randomUUID } from 'node:crypto';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { memorySlidingWindow, redisSlidingWindow } from '../../src/limits/sliding-window.js';
import { TEST_REDIS_URL } from '../support/server.js';

function open(Store: FastifyRateLimitStoreCtor): FastifyRateLimitStore {
  return new Store({});
}

function incr(store: FastifyRateLimitStore, key: string, windowMs: number, max: number) {
  return new Promise<{ current: number; ttl: number }>((resolve, reject) => {
    store.incr(
      key,
      (error, reply) => (error !== null || reply === undefined ? reject(error) : resolve(reply)),
      windowMs,
      max,
    );
  });
}

describe('sliding window (in process)', () => {
  it('refuses a second burst just after a fixed window would have rolled over', async () => {
    let now = 1_000_000;
    const store = open(memorySlidingWindow(() => now));
    const admitted = async (n: number) => {
      let count = 0;
      for (let i = 0; i < n; i++) if ((await incr(store, 'k', 60_000, 10)).current <= 10) count++;
      return count;
    };
    now += 59_900;
    expect(await admitted(10)).toBe(10);
    now += 200; // a fixed window starting at 1,000,000 would be a new one here
    expect(await admitted(10)).toBe(0);
    const refused = await incr(store, 'k', 60_000, 10);
    expect(refused).toEqual({ current: 11, ttl: 59_800 });
    now += 59_801;
    expect(await admitted(12)).toBe(10);
  });

  it('keeps the window per key and a bounded number of keys', async () => {
    let now = 0;
    const store = open(memorySlidingWindow(() => now, 2));
    expect((await incr(store, 'a', 1_000, 1)).current).toBe(1);
    expect((await incr(store, 'a', 1_000, 1)).current).toBe(2);
    expect((await incr(store, 'b', 1_000, 1)).current).toBe(1);
    // A third key pushes out the least recently used one ('a').
    expect((await incr(store, 'c', 1_000, 1)).current).toBe(1);
    expect((await incr(store, 'a', 1_000, 1)).current).toBe(1);
    now += 1_001;
    expect((await incr(store, 'b', 1_000, 1)).current).toBe(1);
  });
});

describe('sliding window (Redis)', () => {
  const redis = new Redis(TEST_REDIS_URL);
  const prefix = `t-${randomUUID()}:`;
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('admits max requests a window, shared by every store on the same Redis', async () => {
    const one = open(redisSlidingWindow(redis, prefix));
    const two = open(redisSlidingWindow(redis, prefix));
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => incr(i % 2 === 0 ? one : two, 'k', 60_000, 12)),
    );
    expect(replies.filter((r) => r.current <= 12)).toHaveLength(12);
    const refused = replies.filter((r) => r.current > 12);
    expect(refused).toHaveLength(18);
    for (const r of refused) expect(r.ttl).toBeGreaterThan(0);
    for (const r of refused) expect(r.ttl).toBeLessThanOrEqual(60_000);
    // Refused requests are not logged: the log holds the admitted ones only.
    expect(await redis.zcard(`${prefix}k`)).toBe(12);
  });

  it('has room again once the oldest admitted request leaves the window', async () => {
    const store = open(redisSlidingWindow(redis, prefix));
    expect((await incr(store, 'short', 300, 2)).current).toBe(1);
    expect((await incr(store, 'short', 300, 2)).current).toBe(2);
    const refused = await incr(store, 'short', 300, 2);
    expect(refused.current).toBe(3);
    await sleep(refused.ttl + 50);
    expect((await incr(store, 'short', 300, 2)).current).toBeLessThanOrEqual(2);
  });
});
