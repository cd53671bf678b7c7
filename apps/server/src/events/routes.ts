// Events on sale: the list, one event with its seat map, and its live seat states.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EventDetail, EventList, EventParams } from '@ticketmain/protocol';

const events: FastifyPluginAsyncTypebox = async (app) => {
  const { events } = app;

  app.get('/api/events', { schema: { response: { 200: EventList } } }, async () => events.list());

  app.get(
    '/api/events/:eventId',
    { schema: { params: EventParams, response: { 200: EventDetail } } },
    async (request) => events.detail(request.params.eventId),
  );

  app.get(
    '/api/events/:eventId/seats',
    {
      // 200: a SeatSnapshot, written by hand around the mirror's pre-serialised lists.
      schema: { params: EventParams },
      preHandler: app.optionalSession,
    },
    async (request, reply) => {
      const { eventId } = request.params;
      const json = await events.seats(eventId, request.buyer?.sessionId, (at) =>
        app.realtime.lists(eventId, at),
      );
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );
};

export default events;
