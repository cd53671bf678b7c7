// The shared HoldStore contract (contract.ts) run against the Redis store on the shared Redis.
import { Keys } from '../../src/holds/keys.js';
import { RedisQueueStore } from '../../src/queue/redis-store.js';
import { holdStoreContract } from './contract.js';
import { newStore } from './redis-helpers.js';

holdStoreContract('redis', async () => {
  const { store, redis, prefix, cleanup } = newStore();
  const keys = new Keys(prefix);
  return {
    store,
    queues: new RedisQueueStore(redis, prefix),
    // Moves the expiry to the store's clock now, as a lapse would, without any seat change.
    async ageHold(eventId, seatId) {
      const [seconds, micros] = await redis.time();
      const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      const moved = await redis.zadd(keys.event(eventId).exp, 'XX', 'CH', now, seatId);
      if (moved !== 1 && (await redis.zscore(keys.event(eventId).exp, seatId)) === null) {
        throw new Error(`no hold of ${seatId} to age`);
      }
    },
    close: cleanup,
  };
});
