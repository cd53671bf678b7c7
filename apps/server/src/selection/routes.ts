// Holding and releasing seats for the caller's session.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EventParams, HoldParams, HoldRequest, HoldResponse } from '@ticketmain/protocol';
import { clientAddress } from '../limits/client-address.js';
import { buyerOf } from '../plugins/auth.js';

const holds: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/events/:eventId/holds',
    {
      config: { countAs: 'holds', ...app.limits.holds },
      schema: { params: EventParams, body: HoldRequest, response: { 201: HoldResponse } },
      preHandler: app.requireSession,
    },
    async (request, reply) => {
      const { sessionId } = buyerOf(request);
      const result = await app.selection.hold(
        request.params.eventId,
        sessionId,
        clientAddress(request.ip),
        request.body.seatIds,
      );
      return reply.status(201).send(result);
    },
  );

  app.delete(
    '/api/events/:eventId/holds/:seatId',
    { schema: { params: HoldParams }, config: app.limits.holds, preHandler: app.requireSession },
    async (request, reply) => {
      const { eventId, seatId } = request.params;
      await app.selection.release(eventId, buyerOf(request).sessionId, seatId);
      return reply.status(204).send();
    },
  );
};

export default holds;
