// Admin: create events from a venue layout, reset an event's holds and sales.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateEventRequest,
  ErrorCode,
  EventDetail,
  EventParams,
  UpdateEventRequest,
} from '@ticketmain/protocol';
import { ADMIN_EVENT_REFUSALS, ADMIN_SECURITY, noBody, problems } from '../plugins/openapi.js';
import { noStore } from '../plugins/security.js';
import { resetDemoQueue } from './demo.js';

/** A 100,000-seat layout is a few megabytes of JSON. */
const LAYOUT_BODY_LIMIT = 32 * 1024 * 1024;

const admin: FastifyPluginAsyncTypebox = async (app) => {
  const { events } = app;
  // This plugin's routes only: admin answers are for the operator.
  app.addHook('onSend', noStore);

  app.post(
    '/api/admin/events',
    {
      bodyLimit: LAYOUT_BODY_LIMIT,
      schema: {
        summary: 'Create an event from a venue layout',
        tags: ['admin'],
        security: ADMIN_SECURITY,
        body: CreateEventRequest,
        response: {
          201: EventDetail,
          ...problems(
            ErrorCode.InvalidRequest,
            ErrorCode.Unauthenticated,
            ErrorCode.NotFound,
            ErrorCode.PayloadTooLarge,
            ErrorCode.UnsupportedMediaType,
            ErrorCode.Unavailable,
          ),
        },
      },
      // onRequest, so an unauthorised caller cannot make the server read a large body.
      onRequest: app.requireAdmin,
    },
    async (request, reply) => reply.status(201).send(await events.create(request.body)),
  );

  app.patch(
    '/api/admin/events/:eventId',
    {
      schema: {
        summary: "Change an event's rules",
        description:
          'Each rule given replaces its value, the others keep theirs. Every replica applies the ' +
          "change within a few seconds (each polls the events' versions).",
        tags: ['admin'],
        security: ADMIN_SECURITY,
        params: EventParams,
        body: UpdateEventRequest,
        response: {
          200: EventDetail,
          ...problems(
            ErrorCode.InvalidRequest,
            ErrorCode.Unauthenticated,
            ErrorCode.NotFound,
            ErrorCode.EventNotFound,
            ErrorCode.UnsupportedMediaType,
            ErrorCode.Unavailable,
          ),
        },
      },
      onRequest: app.requireAdmin,
    },
    async (request) => {
      const { eventId } = request.params;
      const detail = await events.updateRules(eventId, request.body.rules);
      request.log.info({ eventId, rules: detail.rules }, 'event rules changed');
      return detail;
    },
  );

  app.post(
    '/api/admin/events/:eventId/reset',
    {
      schema: {
        summary: "Clear an event's holds and sales",
        description:
          'The queue demo (`arena-queue`) also gets its waiting room again: a new seed, sales ' +
          'two minutes from now, no entries.',
        tags: ['admin'],
        security: ADMIN_SECURITY,
        params: EventParams,
        response: {
          204: noBody('Every hold and sale of the event is cleared'),
          ...problems(...ADMIN_EVENT_REFUSALS),
        },
      },
      onRequest: app.requireAdmin,
    },
    async (request, reply) => {
      const { eventId } = request.params;
      await events.reset(eventId);
      // The queue demo's waiting room starts again too, so the draw can be watched again.
      await resetDemoQueue(eventId, app.queue);
      request.log.info({ eventId }, 'event reset');
      return reply.status(204).send();
    },
  );
};

export default admin;
