// How many people look at each event, over every replica: each replica reports its own number of
// subscribers every few seconds and learns the sum. Only the count leaves a replica, never who.
// In Redis one hash per event (a field per replica, with its own expiry, so a replica that dies
// stops counting within the ttl), changed and summed by one script; in process, the count itself.
import type { Cluster, Redis } from 'ioredis';
import type { Keys } from '../holds/keys.js';
import { defineScript, loadScript } from '../redis/lua.js';

export interface PresenceStore {
  /** Reports `count` subscribers of this replica (0: none); resolves to the sum of all replicas. */
  report(eventId: string, replicaId: string, count: number, ttlMs: number): Promise<number>;
}

export const memoryPresence: PresenceStore = {
  report: (_eventId, _replicaId, count) => Promise.resolve(count),
};

const SCRIPTS_DIR = new URL('./scripts/', import.meta.url);

export function redisPresence(redis: Redis | Cluster, keys: Keys): PresenceStore {
  const run = defineScript(redis, 'presence_viewers', loadScript(SCRIPTS_DIR, 'viewers-1.lua'));
  return {
    async report(eventId, replicaId, count, ttlMs) {
      const sum = await run(keys.event(eventId).viewers, replicaId, count, ttlMs);
      if (typeof sum !== 'number') throw new Error(`unexpected viewers reply: ${String(sum)}`);
      return sum;
    },
  };
}
