// Anonymous buyer sessions: a fresh id and the signed token that proves it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SessionCreated } from '@ticketmain/protocol';

const sessions: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/sessions',
    { schema: { response: { 201: SessionCreated } }, config: app.limits.sessions },
    async (_req, reply) => reply.status(201).send(app.signer.issue()),
  );
};

export default sessions;
