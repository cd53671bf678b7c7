// The engine: hold store, ledger and the services over them, plus the background work every
// replica runs (expiry sweeper, reconciler). Seeds the demo event on first start.
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { DEMO_EVENT, demoArena } from '../domain/venue/arena.js';
import type { HoldStore } from '../holds/types.js';
import type { Ledger } from '../ledger/types.js';
import { Catalog } from '../services/catalog.js';
import { CheckoutService } from '../services/checkout.js';
import { HoldService } from '../services/holds.js';
import { Reconciler } from '../services/reconciler.js';

export interface Engine {
  store: HoldStore;
  ledger: Ledger;
  catalog: Catalog;
  reconciler: Reconciler;
  holds: HoldService;
  checkout: CheckoutService;
}

declare module 'fastify' {
  interface FastifyInstance {
    engine: Engine;
  }
}

export interface EngineOptions {
  config: Config;
  store: HoldStore;
  ledger: Ledger;
}

const SWEEP_BATCH = 1_000;

export default fp<EngineOptions>(
  async (app, { config, store, ledger }) => {
    const catalog = new Catalog(ledger);
    const reconciler = new Reconciler(store, ledger, app.log);
    const engine: Engine = {
      store,
      ledger,
      catalog,
      reconciler,
      holds: new HoldService(store, catalog, reconciler, config),
      checkout: new CheckoutService(store, ledger, catalog, reconciler, config, app.log, {
        afterCommit:
          config.faultInjection === 'crash-after-commit'
            ? () => process.kill(process.pid, 'SIGKILL')
            : undefined,
      }),
    };
    app.decorate('engine', engine);

    if (config.seedDemo && (await catalog.list()).length === 0) {
      await catalog.ensure({ ...DEMO_EVENT, venue: demoArena() });
    }
    await reconciler.reconcile(await catalog.ids());

    const sweeper = every(config.sweepIntervalMs, async () => {
      for (const eventId of await catalog.ids()) {
        await reconciler.run(eventId, () => store.expire(eventId, SWEEP_BATCH));
      }
    });
    const reconciling = every(config.reconcileIntervalMs, async () =>
      reconciler.reconcile(await catalog.ids()),
    );
    app.addHook('onClose', async () => {
      sweeper.stop();
      reconciling.stop();
    });

    /** Runs a task on a timer, never two at once, logging failures instead of crashing. */
    function every(ms: number, task: () => Promise<void>): { stop(): void } {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        task()
          .catch((err: unknown) => app.log.warn({ err }, 'background task failed'))
          .finally(() => (running = false));
      }, ms);
      timer.unref();
      return { stop: () => clearInterval(timer) };
    }
  },
  { name: 'engine', dependencies: ['errors'] },
);
