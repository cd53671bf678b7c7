// Holding and releasing seats for the caller's session.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BestHoldRequest,
  BestHoldResponse,
  ErrorCode,
  EventParams,
  HoldParams,
  HoldRequest,
  HoldResponse,
} from '@ticketmain/protocol';
import { clientAddress } from '../limits/client-address.js';
import { buyerOf } from '../plugins/auth.js';
import { noBody, problems, SESSION_SECURITY } from '../plugins/openapi.js';

/** What a hold refuses besides its own conflicts: the limits, and a body or a service at fault. */
const HOLD_REFUSALS = [
  ErrorCode.InvalidRequest,
  ErrorCode.Unauthenticated,
  ErrorCode.EventNotFound,
  ErrorCode.HoldLimit,
  ErrorCode.AddressLimit,
  ErrorCode.QueueAdmissionRequired,
  ErrorCode.PayloadTooLarge,
  ErrorCode.UnsupportedMediaType,
  ErrorCode.RateLimited,
  ErrorCode.Unavailable,
];

const holds: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/events/:eventId/holds',
    {
      config: { countAs: 'holds', ...app.limits.holds },
      schema: {
        summary: 'Hold seats and general-admission places for the session',
        description:
          'All or none: every seat of `seatIds` and every place of `ga` is held until ' +
          '`expiresAt`, or nothing is. Holding a seat the session already holds keeps its ' +
          'expiry. GA places are picked by the server; each place id works as a seat id. A GA ' +
          'section short of places: 409 SEAT_UNAVAILABLE with `sections`.',
        tags: ['holds'],
        security: SESSION_SECURITY,
        params: EventParams,
        body: HoldRequest,
        response: {
          201: HoldResponse,
          ...problems(
            ...HOLD_REFUSALS,
            ErrorCode.SeatUnavailable,
            ErrorCode.SingleSeat,
            ErrorCode.UnknownSeat,
            ErrorCode.UnknownSection,
            ErrorCode.WrongSectionKind,
          ),
        },
      },
      preHandler: app.requireSession,
    },
    async (request, reply) => {
      const { sessionId } = buyerOf(request);
      const areas = {
        now: (id: string) => app.realtime.availability(id),
        current: (id: string) => app.realtime.currentAvailability(id),
      };
      const result = await app.selection.hold(
        request.params.eventId,
        sessionId,
        clientAddress(request.ip),
        request.body,
        areas,
      );
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/api/events/:eventId/holds/best',
    {
      config: { countAs: 'holds', ...app.limits.holds },
      schema: {
        summary: 'Pick and hold the best available seats',
        description:
          'The server picks the `quantity` available seats with the smallest mean distance to ' +
          "the venue's focus (consecutive numbers in one row of one section unless `adjacent` " +
          'is false; only `sectionIds`, at most `maxPrice`) and holds them in one atomic step, ' +
          'as a hold by seat would: same limits, all or none. With the lone-seat rule on it ' +
          'never picks seats that would leave a lone seat. 409 NO_SEATS_AVAILABLE when no ' +
          'seats match.',
        tags: ['holds'],
        security: SESSION_SECURITY,
        params: EventParams,
        body: BestHoldRequest,
        response: {
          201: BestHoldResponse,
          ...problems(...HOLD_REFUSALS, ErrorCode.NoSeatsAvailable),
        },
      },
      preHandler: app.requireSession,
    },
    async (request, reply) => {
      const { eventId } = request.params;
      const holder = { sessionId: buyerOf(request).sessionId, address: clientAddress(request.ip) };
      const availability = (id: string) => app.realtime.availability(id);
      const result = await app.selection.holdBest(eventId, holder, request.body, availability);
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/api/events/:eventId/holds/extend',
    {
      schema: {
        summary: "Give the session's holds more time, once",
        description:
          'Every live hold of the session in the event gets `HOLD_TTL_SECONDS` more from now, ' +
          'once per hold; seats in checkout keep their expiry. A second call: 409 ' +
          'ALREADY_EXTENDED.',
        tags: ['holds'],
        security: SESSION_SECURITY,
        params: EventParams,
        response: {
          200: HoldResponse,
          ...problems(
            ErrorCode.Unauthenticated,
            ErrorCode.EventNotFound,
            ErrorCode.HoldNotFound,
            ErrorCode.AlreadyExtended,
            ErrorCode.CheckoutInProgress,
            ErrorCode.RateLimited,
            ErrorCode.Unavailable,
          ),
        },
      },
      config: app.limits.holds,
      preHandler: app.requireSession,
    },
    async (request) => {
      const { sessionId } = buyerOf(request);
      const address = clientAddress(request.ip);
      return app.selection.extend(request.params.eventId, sessionId, address);
    },
  );

  app.delete(
    '/api/events/:eventId/holds/:seatId',
    {
      schema: {
        summary: "Release one of the session's held seats",
        tags: ['holds'],
        security: SESSION_SECURITY,
        params: HoldParams,
        response: {
          204: noBody('Released'),
          ...problems(
            ErrorCode.Unauthenticated,
            ErrorCode.NotOwner,
            ErrorCode.EventNotFound,
            ErrorCode.HoldNotFound,
            ErrorCode.CheckoutInProgress,
            ErrorCode.RateLimited,
            ErrorCode.Unavailable,
          ),
        },
      },
      config: app.limits.holds,
      preHandler: app.requireSession,
    },
    async (request, reply) => {
      const { eventId, seatId } = request.params;
      await app.selection.release(eventId, buyerOf(request).sessionId, seatId);
      return reply.status(204).send();
    },
  );
};

export default holds;
