// Joining a sold-out event's waiting list, and reading the session's entry.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorCode, EventParams, WaitlistEntry, WaitlistJoinRequest } from '@ticketmain/protocol';
import { buyerOf } from '../plugins/auth.js';
import { problems, SESSION_SECURITY } from '../plugins/openapi.js';

const waitlist: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/events/:eventId/waitlist',
    {
      config: app.limits.holds,
      schema: {
        summary: "Join a sold-out event's waiting list",
        description:
          'Only while the event has no AVAILABLE seat (else 409 SEATS_AVAILABLE). Seats freed ' +
          'by a cancellation go to the entries in order of joining: the best `quantity` seats ' +
          "(of `sectionIds`) are held for the entry's session for `WAITLIST_OFFER_SECONDS`, " +
          'and its status turns `offered` with `holds`, to be ordered as usual. Joining again ' +
          'answers 200 with the entry as it is.',
        tags: ['waitlist'],
        security: SESSION_SECURITY,
        params: EventParams,
        body: WaitlistJoinRequest,
        response: {
          200: WaitlistEntry,
          201: WaitlistEntry,
          ...problems(
            ErrorCode.InvalidRequest,
            ErrorCode.Unauthenticated,
            ErrorCode.EventNotFound,
            ErrorCode.SeatsAvailable,
            ErrorCode.RateLimited,
            ErrorCode.Unavailable,
          ),
        },
      },
      preHandler: app.requireSession,
    },
    async (request, reply) => {
      const { sessionId } = buyerOf(request);
      const joined = await app.waitlist.join(request.params.eventId, sessionId, request.body);
      return reply.status(joined.created ? 201 : 200).send(joined.entry);
    },
  );

  app.get(
    '/api/events/:eventId/waitlist',
    {
      schema: {
        summary: "The session's waiting-list entry",
        description:
          '`status`: waiting (with `position`, 1 = next), offered (with the held seats in ' +
          "`holds`, each until the offer's end), purchased, or expired (the offer ran out and " +
          'passed on).',
        tags: ['waitlist'],
        security: SESSION_SECURITY,
        params: EventParams,
        response: {
          200: WaitlistEntry,
          ...problems(
            ErrorCode.Unauthenticated,
            ErrorCode.EventNotFound,
            ErrorCode.WaitlistNotJoined,
            ErrorCode.Unavailable,
          ),
        },
      },
      preHandler: app.requireSession,
    },
    async (request) => app.waitlist.entryOf(request.params.eventId, buyerOf(request).sessionId),
  );
};

export default waitlist;
