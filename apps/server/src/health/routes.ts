// Liveness and readiness probes for load balancers and orchestrators.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health, Readiness } from '@ticketmain/protocol';

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { schema: { response: { 200: Health } } }, async () => ({ status: 'ok' }));

  app.get(
    '/ready',
    { schema: { response: { 200: Readiness, 503: Readiness } } },
    async (_request, reply) => {
      const [holdStore, ledger] = await Promise.all([app.holdStore.ping(), app.ledger.ping()]);
      const ready = holdStore && ledger;
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not-ready', checks: { holdStore, ledger } });
    },
  );
};

export default health;
