// How many people look at each event, over every replica: each replica reports its own number of
// subscribers every few seconds and learns the sum. Only the count leaves a replica, never who.
// In Redis one hash per event (a field per replica, with its own expiry, so a replica that dies
// stops counting within the ttl), changed and summed by one script; in process, the count itself.
import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';
import type { Keys } from '../holds/keys.js';

export interface PresenceStore {
  /** Reports `count` subscribers of this replica (0: none); resolves to the sum of all replicas. */
  report(eventId: string, replicaId: string, count: number, ttlMs: number): Promise<number>;
}

export const memoryPresence: PresenceStore = {
  report: (_eventId, _replicaId, count) => Promise.resolve(count),
};

const SCRIPT = readFileSync(new URL('./scripts/viewers-1.lua', import.meta.url), 'utf8');
const COMMAND = 'presence_viewers';

export function redisPresence(redis: Redis | Cluster, keys: Keys): PresenceStore {
  redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: SCRIPT });
  const command: unknown = Reflect.get(redis, COMMAND);
  if (typeof command !== 'function') throw new Error(`${COMMAND} is not defined on this client`);
  const run = (command as (...args: (string | number)[]) => Promise<unknown>).bind(redis);
  return {
    async report(eventId, replicaId, count, ttlMs) {
      const sum = await run(keys.event(eventId).viewers, replicaId, count, ttlMs);
      if (typeof sum !== 'number') throw new Error(`unexpected viewers reply: ${String(sum)}`);
      return sum;
    },
  };
}
