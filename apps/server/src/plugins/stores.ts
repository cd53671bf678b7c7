// The two stores of the engine as the services see them: the ledger, and the hold store wrapped so
// that an event whose state was lost (Redis restarted empty) is rebuilt from the ledger first.
import fp from 'fastify-plugin';
import { SelfHealingHoldStore, type ReadyHoldStore } from '../holds/self-healing.js';
import type { HoldStore } from '../holds/types.js';
import { Reconciler } from '../jobs/reconciler.js';
import type { Ledger } from '../ledger/types.js';
import type { QueueStore } from '../queue/types.js';

declare module 'fastify' {
  interface FastifyInstance {
    holdStore: ReadyHoldStore;
    /** The waiting rooms (queue/README.md); the hold store's gate reads their admissions. */
    queueStore: QueueStore;
    ledger: Ledger;
    reconciler: Reconciler;
  }
}

export interface StoresOptions {
  /** The backing hold store (Redis or in process); its owner closes it. */
  store: HoldStore;
  /** Of the same mode as `store`; closed with the app. */
  queues: QueueStore;
  ledger: Ledger;
}

export default fp<StoresOptions>(
  async (app, { store, queues, ledger }) => {
    const reconciler = new Reconciler(store, ledger, app.log);
    app.decorate('ledger', ledger);
    app.decorate('queueStore', queues);
    app.addHook('onClose', () => queues.close());
    app.decorate('reconciler', reconciler);
    app.decorate(
      'holdStore',
      new SelfHealingHoldStore(store, (eventId) => reconciler.restore(eventId)),
    );
  },
  { name: 'stores', dependencies: ['errors'] },
);
