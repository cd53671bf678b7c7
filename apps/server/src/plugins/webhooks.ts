// The outbox's consumers: the organiser's webhook endpoints (the service the routes call) and
// the dispatcher every replica runs, which delivers webhooks and the buyers' mails, and the
// watch that reports events selling out.
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { Dispatcher } from '../jobs/dispatcher.js';
import { every } from '../jobs/every.js';
import { SoldOutWatch } from '../jobs/sold-out.js';
import { Mailer } from '../mail/mailer.js';
import { WebhookSender } from '../webhooks/sender.js';
import { WebhookService } from '../webhooks/service.js';

declare module 'fastify' {
  interface FastifyInstance {
    webhooks: WebhookService;
  }
}

/** How often each replica looks for events that sold out (event.sold_out). */
const SOLD_OUT_CHECK_MS = 1_000;

export interface WebhooksOptions {
  config: Config;
  sessionSecret: string;
}

export default fp<WebhooksOptions>(
  async (app, { config, sessionSecret }) => {
    const { outbox, mail } = config;
    const { ledger } = app;
    app.decorate(
      'webhooks',
      new WebhookService(ledger, {
        sessionSecret,
        allowPrivateTargets: outbox.allowPrivateTargets,
      }),
    );
    const sender = new WebhookSender(outbox);
    const mailer = new Mailer(ledger, app.orderPresenter, {
      ...mail,
      timeoutMs: outbox.timeoutMs,
    });
    const dispatcher = new Dispatcher(
      ledger.outbox,
      sender,
      mailer,
      { ...outbox, sessionSecret },
      app.log,
    );
    const soldOut = new SoldOutWatch(app.holdStore, app.events.catalog, ledger.outbox);
    let soldOutJob: { stop(): void } | undefined;
    app.addHook('onReady', async () => {
      dispatcher.start();
      soldOutJob = every(
        SOLD_OUT_CHECK_MS,
        'sold-out',
        async () => soldOut.check(await app.events.catalog.ids()),
        app.log,
      );
    });
    // Before the ledger closes: the cut deliveries' results are still written.
    app.addHook('preClose', async () => {
      soldOutJob?.stop();
      await dispatcher.stop();
      sender.close();
      mailer.close();
    });
  },
  { name: 'webhooks', dependencies: ['stores', 'services'] },
);
