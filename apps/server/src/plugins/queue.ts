// The waiting room: its store (Redis when the app has one, else in process), the service the
// routes call, and the admission ticker every replica runs.
import fp from 'fastify-plugin';
import type { Cluster, Redis } from 'ioredis';
import { admit } from '../jobs/admission.js';
import { every } from '../jobs/every.js';
import { QueueOpenedWatch } from '../jobs/queue-opened.js';
import { MemoryQueueStore } from '../queue/memory-store.js';
import { RedisQueueStore } from '../queue/redis-store.js';
import { QueueService } from '../queue/service.js';

declare module 'fastify' {
  interface FastifyInstance {
    queue: QueueService;
  }
}

/** How often each replica looks for waiting rooms that opened. */
const QUEUE_OPENED_CHECK_MS = 1_000;

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
    // queue.opened for webhooks (plugins/webhooks.ts delivers it).
    const opened = new QueueOpenedWatch(store, app.ledger.outbox);
    const openedJob = every(
      QUEUE_OPENED_CHECK_MS,
      'queue-opened',
      async () => opened.check(await events.catalog.ids()),
      app.log,
    );
    app.addHook('onClose', async () => {
      job.stop();
      openedJob.stop();
      await store.close();
    });
  },
  { name: 'queue', dependencies: ['stores', 'services'] },
);
