// The stores of the engine as the services see them: the ledger, the hold store wrapped so that an
// event whose state was lost (Redis restarted empty) is rebuilt from the ledger first, and the
// queue store over its durable copy (a lost queue is rebuilt from it first, and before the hold
// state: the gate must not take a lost queue for none).
import fp from 'fastify-plugin';
import { SelfHealingHoldStore, type ReadyHoldStore } from '../holds/self-healing.js';
import type { HoldStore } from '../holds/types.js';
import { Reconciler } from '../jobs/reconciler.js';
import type { Ledger } from '../ledger/types.js';
import { DurableQueueStore } from '../queue/durable-store.js';
import type { QueueJournal } from '../queue/journal.js';
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
  /** Of the same mode as `store`, writing behind to `journal`; closed with the app. */
  queues: QueueStore;
  journal: QueueJournal;
  ledger: Ledger;
}

export default fp<StoresOptions>(
  async (app, { store, queues, journal, ledger }) => {
    const reconciler = new Reconciler(store, ledger, app.log);
    journal.reportErrorsTo((err) =>
      app.log.warn({ err }, 'queue write-behind failed; trying again'),
    );
    const durable = new DurableQueueStore(queues, journal, app.log);
    reconciler.restoreFirst((eventId) => durable.get(eventId));
    app.decorate('ledger', ledger);
    app.decorate('queueStore', durable);
    // The journal's last writes go out first (DurableQueueStore.close).
    app.addHook('onClose', () => durable.close());
    app.decorate('reconciler', reconciler);
    app.decorate(
      'holdStore',
      new SelfHealingHoldStore(store, (eventId) => reconciler.restore(eventId)),
    );
  },
  { name: 'stores', dependencies: ['errors'] },
);
