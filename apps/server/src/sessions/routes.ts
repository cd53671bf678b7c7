// Anonymous buyer sessions: a fresh id and the signed token that proves it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorCode, SessionCreated } from '@ticketmain/protocol';
import { problems } from '../plugins/openapi.js';
import { noStore } from '../plugins/security.js';

const sessions: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/sessions',
    {
      schema: {
        summary: 'Start an anonymous buyer session',
        description: 'Returns the session id and the signed token to send as `Bearer` after.',
        tags: ['sessions'],
        response: { 201: SessionCreated, ...problems(ErrorCode.RateLimited) },
      },
      config: app.limits.sessions,
      // The answer is the bearer token itself.
      onSend: noStore,
    },
    async (_req, reply) => reply.status(201).send(app.signer.issue()),
  );
};

export default sessions;
