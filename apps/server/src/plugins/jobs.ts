// The background jobs every replica runs: the expiry sweeper and the reconciler (both idempotent,
// so replicas need no coordination), after one reconciliation at start-up; and the waiting list's
// offers passing on when they end (entries claimed with FOR UPDATE SKIP LOCKED).
import fp from 'fastify-plugin';
import { every } from '../jobs/every.js';
import { sweep } from '../jobs/sweeper.js';

/** How often a replica looks for waiting-list offers that ended. */
const WAITLIST_INTERVAL_MS = 1_000;

export interface JobsOptions {
  sweepIntervalMs: number;
  reconcileIntervalMs: number;
}

export default fp<JobsOptions>(
  async (app, { sweepIntervalMs, reconcileIntervalMs }) => {
    const { holdStore, reconciler, events, waitlist } = app;
    await reconciler.reconcile(await events.catalog.ids());
    const jobs = [
      every(
        sweepIntervalMs,
        'sweeper',
        async () => sweep(holdStore, await events.catalog.ids()),
        app.log,
      ),
      every(
        reconcileIntervalMs,
        'reconciler',
        async () => reconciler.reconcile(await events.catalog.ids()),
        app.log,
      ),
      every(
        WAITLIST_INTERVAL_MS,
        'waitlist',
        async () => {
          await waitlist.passDueOffers();
          await waitlist.offerFreed();
        },
        app.log,
      ),
    ];
    app.addHook('onClose', async () => {
      for (const job of jobs) job.stop();
    });
  },
  { name: 'jobs', dependencies: ['stores', 'services'] },
);
