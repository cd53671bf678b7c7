// The waiting room: the service the routes call over the app's queue store (given by the runtime
// with the hold store, whose gate reads it), and the admission ticker every replica runs.
import fp from 'fastify-plugin';
import { admit } from '../jobs/admission.js';
import { every } from '../jobs/every.js';
import { QueueService } from '../queue/service.js';

declare module 'fastify' {
  interface FastifyInstance {
    queue: QueueService;
  }
}

export interface QueueOptions {
  tickIntervalMs: number;
}

export default fp<QueueOptions>(
  async (app, { tickIntervalMs }) => {
    const store = app.queueStore;
    const service = new QueueService(store, app.events.catalog);
    app.decorate('queue', service);
    const { holdStore, events } = app;
    const job = every(
      tickIntervalMs,
      'admission',
      async () => admit(store, holdStore, events.catalog, await events.catalog.ids()),
      app.log,
    );
    app.addHook('onClose', async () => job.stop());
  },
  { name: 'queue', dependencies: ['stores', 'services'] },
);
