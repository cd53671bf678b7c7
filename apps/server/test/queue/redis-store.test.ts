// The Redis queue store: the shared contract on the shared Redis (a fresh prefix, two clients as
// two replicas), and the Lua conventions of its scripts.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Keys } from '../../src/holds/keys.js';
import { QueueCode } from '../../src/queue/codes.js';
import { RedisQueueStore } from '../../src/queue/redis-store.js';
import { QUEUE_SCRIPT_FILES, loadQueueScripts } from '../../src/queue/scripts.js';
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
    const q = new Keys('p:').event('E1').queue;
    const all = Object.values(q);
    for (const key of all) expect(key.startsWith('p:{ev:E1}:q:')).toBe(true);
    expect(new Set(all).size).toBe(all.length);
  });
});
