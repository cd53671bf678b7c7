// The waiting room: its store (Redis when the app has one, else in process) over its durable copy
// in the ledger (rebuilt from it when lost), the service the routes call, and the admission ticker
// every replica runs.
import fp from 'fastify-plugin';
import type { Cluster, Redis } from 'ioredis';
import { admit } from '../jobs/admission.js';
import { every } from '../jobs/every.js';
import { DurableQueueStore } from '../queue/durable-store.js';
import { QueueJournal } from '../queue/journal.js';
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
  /** Seals the draw's seeds in the ledger. */
  sessionSecret: string;
}

export default fp<QueueOptions>(
  async (app, { redis, keyPrefix, tickIntervalMs, sessionSecret }) => {
    const journal = new QueueJournal(app.ledger.queues, sessionSecret, {
      onError: (err) => app.log.warn({ err }, 'queue write-behind failed; trying again'),
    });
    const fast =
      redis === undefined
        ? new MemoryQueueStore(Date.now, journal)
        : new RedisQueueStore(redis, keyPrefix, journal);
    const store = new DurableQueueStore(fast, journal, app.log);
    // A Redis that lost the hold state lost the queue with it: the hold gate must find it back.
    app.reconciler.restoreFirst((eventId) => store.get(eventId));
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
