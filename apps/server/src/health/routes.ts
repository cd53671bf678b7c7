// Liveness and readiness probes for load balancers and orchestrators, and the metrics scrape.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health, Readiness } from '@ticketmain/protocol';
import { ErrorCode } from '@ticketmain/protocol';
import { ADMIN_SECURITY, problems } from '../plugins/openapi.js';
import { noStore } from '../plugins/security.js';

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

  // Operators only (METRICS_TOKEN or ADMIN_TOKEN): the figures tell an attacker how a sale goes.
  app.get(
    '/metrics',
    {
      logLevel: 'warn',
      schema: {
        summary: 'Prometheus metrics of this replica (METRICS_TOKEN or ADMIN_TOKEN)',
        tags: ['operations'],
        security: ADMIN_SECURITY,
        response: {
          200: {
            description: 'The Prometheus text exposition format',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
          ...problems(ErrorCode.Unauthenticated, ErrorCode.NotFound),
        },
      },
      preHandler: app.requireOperator,
      onSend: noStore,
    },
    async (_request, reply) => {
      const { registry } = app.metrics;
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
};

export default health;
