// Events on sale: the list, one event with its seat map, and its live seat states.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ErrorCode, EventDetail, EventList, EventParams, SeatSnapshot } from '@ticketmain/protocol';
import { noBody, OPTIONAL_SESSION_SECURITY, problems } from '../plugins/openapi.js';
import { chooseEncoding, matchesEtag } from './prepared.js';

/**
 * The snapshot is written by hand around the mirror's pre-serialised seat lists: the schema
 * documents it, and a string reply is never re-serialised by Fastify.
 */
const SeatSnapshotJson = Type.Unsafe<string>(SeatSnapshot);

const events: FastifyPluginAsyncTypebox = async (app) => {
  const { events } = app;

  app.get(
    '/api/events',
    {
      schema: {
        summary: 'List the events on sale',
        tags: ['events'],
        response: { 200: EventList, ...problems(ErrorCode.Unavailable) },
      },
    },
    async () => events.list(),
  );

  // Served from a prepared copy (events/prepared.ts): the schema documents the body, which is
  // written as ready bytes, compressed here rather than by @fastify/compress.
  app.get(
    '/api/events/:eventId',
    {
      schema: {
        summary: 'One event with its seat map',
        description:
          'Served from a prepared copy: brotli or gzip as Accept-Encoding allows, with a strong ' +
          'ETag (304 for a matching If-None-Match) and Cache-Control.',
        tags: ['events'],
        params: EventParams,
        response: {
          200: EventDetail,
          304: noBody('Not modified: the ETag matched If-None-Match'),
          ...problems(ErrorCode.InvalidRequest, ErrorCode.EventNotFound, ErrorCode.Unavailable),
        },
      },
      compress: false,
    },
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
      schema: {
        summary: 'The live seat states of an event',
        description:
          'Held and sold seats at sequence `seq`; with a session token, `mine` lists its holds. ' +
          'The WebSocket feed (`GET /ws`) carries the changes after `seq`.',
        tags: ['events'],
        params: EventParams,
        security: OPTIONAL_SESSION_SECURITY,
        response: {
          200: SeatSnapshotJson,
          ...problems(
            ErrorCode.InvalidRequest,
            ErrorCode.Unauthenticated,
            ErrorCode.EventNotFound,
            ErrorCode.Unavailable,
          ),
        },
      },
      preHandler: app.optionalSession,
    },
    async (request, reply) => {
      const { eventId } = request.params;
      const json = await events.seats(eventId, request.buyer?.sessionId, (at) =>
        app.realtime.lists(eventId, at),
      );
      // With a token, `mine` is the caller's own holds.
      if (request.buyer !== null) void reply.header('cache-control', 'no-store');
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );
};

export default events;
