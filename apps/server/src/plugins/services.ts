// The services the routes call (events, seat selection, orders, tickets), built over the stores,
// and the demo event seeded on a first start.
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { Catalog, VERSIONS_REFRESH_MS } from '../events/catalog.js';
import { seedDemo } from '../events/demo.js';
import { EventsService } from '../events/service.js';
import { CancellationService } from '../orders/cancellation.js';
import { CheckoutService } from '../orders/checkout.js';
import { OrderLookup } from '../orders/lookup.js';
import { OrderPresenter } from '../orders/present.js';
import { TicketKeyring } from '../tickets/keyring.js';
import { TicketService } from '../tickets/service.js';
import { queueView } from '../queue/service.js';
import { HoldService } from '../selection/service.js';
import { WaitlistService } from '../waitlist/service.js';

declare module 'fastify' {
  interface FastifyInstance {
    events: EventsService;
    selection: HoldService;
    orders: CheckoutService;
    cancellations: CancellationService;
    waitlist: WaitlistService;
    orderLookup: OrderLookup;
    tickets: TicketService;
    /** Orders as the API shows them (codes, url): the confirmation mail uses it too. */
    orderPresenter: OrderPresenter;
  }
}

export interface ServicesOptions {
  config: Config;
  /** Seals the ticket signing keys in the ledger. */
  sessionSecret: string;
}

export default fp<ServicesOptions>(
  async (app, { config, sessionSecret }) => {
    const { holdStore, queueStore, ledger } = app;
    const keyring = new TicketKeyring(ledger, sessionSecret);
    await keyring.start();
    app.decorate('tickets', new TicketService(ledger, keyring));
    const presenter = new OrderPresenter(keyring, config.publicUrl);
    app.decorate('orderPresenter', presenter);
    const catalog = new Catalog(
      ledger,
      () => app.metrics.eventDetailBuilds.inc(),
      VERSIONS_REFRESH_MS,
      async (eventId) => {
        const outcome = await queueStore.get(eventId);
        return outcome.ok ? queueView(outcome.queue) : null;
      },
    );
    const selection = new HoldService(holdStore, catalog, config, (eventId, sessionId) =>
      queueStore.isAdmitted(eventId, sessionId),
    );
    app.decorate('selection', selection);
    app.decorate('events', new EventsService(catalog, holdStore, ledger, selection));
    app.decorate(
      'orders',
      new CheckoutService(holdStore, ledger, catalog, presenter, config, app.log, {
        afterCommit:
          config.faultInjection === 'crash-after-commit'
            ? () => process.kill(process.pid, 'SIGKILL')
            : undefined,
      }),
    );
    const waitlist = new WaitlistService(holdStore, ledger.waitlist, catalog, config, app.log);
    app.decorate('waitlist', waitlist);
    app.decorate(
      'cancellations',
      new CancellationService(holdStore, ledger, presenter, app.log, waitlist),
    );
    app.decorate('orderLookup', new OrderLookup(ledger, catalog, presenter));
    if (config.seedDemo) await seedDemo(catalog);
  },
  { name: 'services', dependencies: ['stores', 'metrics'] },
);
