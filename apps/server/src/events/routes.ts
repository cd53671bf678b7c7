// Events on sale: the list, one event with its seat map, and its live seat states.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { EventDetail, EventList, EventParams } from '@ticketmain/protocol';
import { chooseEncoding, matchesEtag } from './prepared.js';

const events: FastifyPluginAsyncTypebox = async (app) => {
  const { events } = app;

  app.get('/api/events', { schema: { response: { 200: EventList } } }, async () => events.list());

  // Served from a prepared copy (events/prepared.ts): the schema documents the body, which is
  // written as ready bytes, compressed here rather than by @fastify/compress.
  app.get(
    '/api/events/:eventId',
    { schema: { params: EventParams, response: { 200: EventDetail } }, compress: false },
    async (request, typedReply) => {
      // The body goes out as prepared bytes, which the schema's typed reply does not take.
      const reply: FastifyReply = typedReply;
      const prepared = await events.prepared(request.params.eventId);
      reply
        .header('etag', prepared.etag)
        .header('cache-control', 'public, max-age=60')
        .header('vary', 'accept-encoding');
      if (matchesEtag(request.headers['if-none-match'], prepared.etag)) {
        return reply.status(304).send();
      }
      const encoding = chooseEncoding(request.headers['accept-encoding']);
      if (encoding !== 'identity') reply.header('content-encoding', encoding);
      return reply.type('application/json; charset=utf-8').send(prepared.bodies[encoding]);
    },
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
