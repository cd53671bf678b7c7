// The waiting room: its store (Redis when the app has one, else in process), the service the
// routes call, and the admission ticker every replica runs.
import fp from 'fastify-plugin';
import type { Cluster, Redis } from 'ioredis';
import { admit } from '../jobs/admission.js';
import { every } from '../jobs/every.js';
import { MemoryQueueStore } from '../queue/memory-store.js';
import { RedisQueueStore } from '../queue/redis-store.js';
import { QueueService } from '../queue/service.js';

declare module 'fastify' {
  interface FastifyInstance {
    queue: QueueService;
  }
}

export interface QueueOptions {
  /** Shared by every replica; absent in embedded mode. */
  redis?: Redis | Cluster;
  keyPrefix: string;
  tickIntervalMs: number;
}

export default fp<QueueOptions>(
  async (app, { redis, keyPrefix, tickIntervalMs }) => {
    const store =
      redis === undefined ? new MemoryQueueStore() : new RedisQueueStore(redis, keyPrefix);
    const service = new QueueService(store, app.events.catalog);
    app.decorate('queue', service);
    const { holdStore, events } = app;
    const job = every(
      tickIntervalMs,
      'admission',
      async () => admit(store, holdStore, events.catalog, await events.catalog.ids()),
      app.log,
    );
    app.addHook('onClose', async () => {
      job.stop();
      await store.close();
    });
  },
  { name: 'queue', dependencies: ['stores', 'services'] },
);
