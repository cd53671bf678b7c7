// Liveness and readiness probes for load balancers and orchestrators.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health, Readiness } from '@ticketmain/protocol';
import { problems } from '../plugins/openapi.js';

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Liveness: the process answers',
        tags: ['operations'],
        response: { 200: Health, ...problems() },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness: the hold store and the ledger answer',
        tags: ['operations'],
        response: {
          200: { ...Readiness, description: 'Ready to serve' },
          503: { ...Readiness, description: 'A backing service does not answer' },
          ...problems(),
        },
      },
    },
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
