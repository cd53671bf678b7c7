// Events on sale: the list, one event with its seat map, and its live seat states.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorCode, EventDetail, EventList, EventParams, SeatSnapshot } from '@ticketmain/protocol';
import { OPTIONAL_SESSION_SECURITY, problems } from '../plugins/openapi.js';

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

  app.get(
    '/api/events/:eventId',
    {
      schema: {
        summary: 'One event with its seat map',
        tags: ['events'],
        params: EventParams,
        response: {
          200: EventDetail,
          ...problems(ErrorCode.InvalidRequest, ErrorCode.EventNotFound, ErrorCode.Unavailable),
        },
      },
    },
    async (request) => events.detail(request.params.eventId),
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
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );
};

export default events;
