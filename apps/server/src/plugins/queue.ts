// The waiting room: the service the routes call over the app's queue store (given by the runtime
// with the hold store, whose gate reads it), and the admission ticker every replica runs.
import fp from 'fastify-plugin';
import { admit, type TickObserver } from '../jobs/admission.js';
import { armDemoQueue } from '../events/demo.js';
import { every } from '../jobs/every.js';
import { QueueOpenedWatch } from '../jobs/queue-opened.js';
import { QueueService, waitingOf } from '../queue/service.js';

declare module 'fastify' {
  interface FastifyInstance {
    queue: QueueService;
  }
}

/** How often each replica looks for waiting rooms that opened. */
const QUEUE_OPENED_CHECK_MS = 1_000;
const MINUTE = 60_000;

export interface QueueOptions {
  tickIntervalMs: number;
  /** Arms the queue demo's waiting room when it has none (SEED_DEMO). */
  seedDemo: boolean;
  /** Joins one session may make of one waiting room per minute; 0: no limit (RATE_LIMITS=off). */
  joinsPerMinute: number;
}

export default fp<QueueOptions>(
  async (app, { tickIntervalMs, seedDemo, joinsPerMinute }) => {
    const store = app.queueStore;
    const { holdStore, events, metrics } = app;
    const service = new QueueService(store, events.catalog, {
      onJoinRefused: (reason) => metrics.queueJoinRefusals.inc({ reason }),
      ...(joinsPerMinute > 0 ? { joinLimit: { max: joinsPerMinute, windowMs: MINUTE } } : {}),
    });
    app.decorate('queue', service);
    if (seedDemo) await armDemoQueue(events.catalog, service);
    const observe: TickObserver = (eventId, admitted, state) => {
      const event = { event: eventId };
      if (admitted > 0) metrics.queueAdmitted.inc(event, admitted);
      metrics.queueWaiting.set(event, waitingOf(state));
      metrics.queueServedThrough.set(event, state.servedThrough);
      metrics.queueAdmitPerMinute.set(event, state.paused ? 0 : state.admitPerMinute);
    };
    let lastPass: number | undefined;
    const job = every(
      tickIntervalMs,
      'admission',
      async () => {
        const startedAt = performance.now();
        if (lastPass !== undefined) {
          metrics.queueTickLag.observe(Math.max(0, startedAt - lastPass - tickIntervalMs) / 1000);
        }
        lastPass = startedAt;
        await admit(store, holdStore, events.catalog, await events.catalog.ids(), observe, app.log);
      },
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
    });
  },
  { name: 'queue', dependencies: ['stores', 'services', 'metrics'] },
);
