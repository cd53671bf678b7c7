// The Redis queue store: the shared contract on the shared Redis (a fresh prefix, two clients as
// two replicas), and the Lua conventions of its scripts.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Keys } from '../../src/holds/keys.js';
import { QueueCode } from '../../src/queue/codes.js';
import { RedisQueueStore } from '../../src/queue/redis-store.js';
import { QUEUE_SCRIPT_FILES, loadQueueScripts } from '../../src/queue/scripts.js';
import type { StoredEntry } from '../../src/queue/types.js';
import { newClient } from '../holds/redis-helpers.js';
import { queueStoreContract } from './contract.js';

queueStoreContract('redis', async () => {
  const prefix = `test:queue:${randomUUID()}:`;
  const [a, b] = [newClient(), newClient()];
  return {
    store: new RedisQueueStore(a, prefix),
    twin: new RedisQueueStore(b, prefix),
    close: async () => {
      for await (const keys of a.scanStream({ match: `${prefix}*`, count: 1000 })) {
        if (Array.isArray(keys) && keys.length > 0) await a.del(...keys.map(String));
      }
      await Promise.all([a.quit(), b.quit()]);
    },
  };
});

describe('RedisQueueStore restore', () => {
  it('rebuilds a line of several chunks from two replicas at once, answering nothing half-built', async () => {
    const prefix = `test:queue:${randomUUID()}:`;
    const [a, b] = [newClient(), newClient()];
    const [one, two] = [new RedisQueueStore(a, prefix), new RedisQueueStore(b, prefix)];
    const now = Date.now();
    const count = 5_000;
    const entries: StoredEntry[] = Array.from({ length: count }, (_, i) => ({
      sessionId: `s${i}`,
      ticketId: `t${i}`,
      arrival: i + 1,
      prequeue: false,
      number: i + 1,
      admittedUntil: i < 10 ? now + 60_000 : null,
    }));
    const stored = {
      seed: '00'.repeat(32),
      arrivals: count,
      entries,
      state: {
        opensAt: now - 2_000,
        salesStartAt: now - 1_000,
        admitPerMinute: 60,
        admissionSeconds: 60,
        powBits: 0,
        paused: true,
        seedCommitment: 'c',
        drawn: true,
        servedThrough: 10,
        lastNumber: count,
        soldOut: false,
      },
    };
    const seen: string[] = [];
    // A reader during the restore sees no queue or the whole one, never part of it.
    let restoring = true;
    const reader = (async () => {
      while (restoring) {
        const got = await one.entry('E', `s${count - 1}`);
        seen.push(got.ok ? 'whole' : got.reason);
      }
    })();
    await Promise.all([one.restore('E', stored), two.restore('E', stored)]);
    restoring = false;
    await reader;
    expect(seen.every((s) => s === 'QUEUE_NOT_FOUND' || s === 'whole')).toBe(true);
    expect(seen).not.toContain('QUEUE_NOT_JOINED');
    expect(await one.get('E')).toMatchObject({ queue: { lastNumber: count, servedThrough: 10 } });
    expect(await two.entry('E', 's4999')).toMatchObject({ ok: true, entry: { number: count } });
    expect(await one.isAdmitted('E', 's9')).toBe(true);
    expect(await one.isAdmitted('E', 's10')).toBe(false);
    expect(await b.hlen(new Keys(prefix).event('E').queue.entries)).toBe(count);
    for await (const keys of a.scanStream({ match: `${prefix}*`, count: 1000 })) {
      if (Array.isArray(keys) && keys.length > 0) await a.del(...keys.map(String));
    }
    await Promise.all([a.quit(), b.quit()]);
  });
});

describe('queue Lua scripts', () => {
  it('resolve their includes and follow the file conventions', () => {
    const scripts = loadQueueScripts();
    expect([...scripts.keys()].sort()).toEqual(Object.keys(QUEUE_SCRIPT_FILES).sort());
    for (const [name, { lua, numberOfKeys }] of scripts) {
      expect(lua, name).not.toMatch(/@include/);
      expect(lua.startsWith('--[['), name).toBe(true);
      expect(lua, name).toMatch(/^local rcall = redis\.call$/m);
      const used = new Set([...lua.matchAll(/KEYS\[(\d+)\]/g)].map((m) => Number(m[1])));
      expect(Math.max(...used), name).toBe(numberOfKeys);
      expect(lua, name).not.toMatch(/\.\.\s*['"]:/);
    }
  });

  it('share their reply codes with the TypeScript enum', () => {
    const lua = readFileSync(
      new URL('../../src/queue/scripts/includes/codes.lua', import.meta.url),
      'utf8',
    );
    const luaCodes = Object.fromEntries(
      [...lua.matchAll(/^\s+([A-Z_]+) = (-?\d+),$/gm)].map((m) => [m[1], Number(m[2])]),
    );
    const tsCodes = Object.fromEntries(
      Object.entries(QueueCode).filter(([, value]) => typeof value === 'number'),
    );
    expect(luaCodes).toEqual(tsCodes);
  });

  it('keep every queue key under the event hash tag', () => {
    const { joins, ...q } = new Keys('p:').event('E1').queue;
    const all = [...Object.values(q), joins('s1')];
    for (const key of all) expect(key.startsWith('p:{ev:E1}:q:')).toBe(true);
    expect(new Set(all).size).toBe(all.length);
  });
});
