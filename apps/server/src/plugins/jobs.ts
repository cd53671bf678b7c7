// The background jobs every replica runs: the expiry sweeper and the reconciler (both idempotent,
// so replicas need no coordination), after one reconciliation at start-up.
import fp from 'fastify-plugin';
import { every } from '../jobs/every.js';
import { sweep } from '../jobs/sweeper.js';

export interface JobsOptions {
  sweepIntervalMs: number;
  reconcileIntervalMs: number;
}

export default fp<JobsOptions>(
  async (app, { sweepIntervalMs, reconcileIntervalMs }) => {
    const { holdStore, reconciler, events } = app;
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
    ];
    app.addHook('onClose', async () => {
      for (const job of jobs) job.stop();
    });
  },
  { name: 'jobs', dependencies: ['stores', 'services'] },
);
