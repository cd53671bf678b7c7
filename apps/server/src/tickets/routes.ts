// Tickets after the sale: the key set that verifies codes, check-in at the gates, and the
// organiser's scanner tokens, revocations and key rotation.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  CheckIn,
  CheckInRequest,
  CheckInSummary,
  ErrorCode,
  EventParams,
  Revocations,
  RevocationsQuery,
  ScannerToken,
  TicketKey,
  TicketKeySet,
} from '@ticketmain/protocol';
import { errors } from '../domain/errors.js';
import { bearer } from '../plugins/auth.js';
import { ADMIN_SECURITY, problems, SCANNER_SECURITY } from '../plugins/openapi.js';
import { noStore } from '../plugins/security.js';

/** Scanners may cache the key set; a rotated key is there for the next fetch. */
const KEY_SET_CACHE = 'public, max-age=300';

const ADMIN_ERRORS = [
  ErrorCode.InvalidRequest,
  ErrorCode.Unauthenticated,
  ErrorCode.NotFound,
  ErrorCode.Unavailable,
] as const;

const tickets: FastifyPluginAsyncTypebox = async (app) => {
  const { tickets: service } = app;

  /** preHandler: the admin token, or a scanner token of the route's event (403 for another). */
  const requireScanner = async (request: FastifyRequest<{ Params: EventParams }>) => {
    if (app.isAdmin(request)) return;
    const token = bearer(request);
    const eventId = token === undefined ? null : await service.scannerEvent(token);
    if (eventId === null) throw errors.unauthenticated('A scanner token of this event is required');
    if (eventId !== request.params.eventId) {
      throw errors.forbidden('This scanner token is for another event');
    }
  };

  app.get(
    '/api/ticket-keys',
    {
      schema: {
        summary: 'The public keys that verify ticket codes (JWKS)',
        description: 'Every key that signed a ticket stays listed, so scanners can verify offline.',
        tags: ['tickets'],
        response: { 200: TicketKeySet, ...problems(ErrorCode.Unavailable) },
      },
    },
    async (_request, reply) => reply.header('cache-control', KEY_SET_CACHE).send(service.keySet()),
  );

  app.post(
    '/api/events/:eventId/checkins',
    {
      schema: {
        summary: 'Check a ticket in at the gate',
        description:
          'Exactly one scan of a ticket is admitted (201). The same `nonce` again answers 200 ' +
          'with the first answer; any other scan of it, 409 ALREADY_CHECKED_IN with `checkedInAt`.',
        tags: ['tickets'],
        security: SCANNER_SECURITY,
        params: EventParams,
        body: CheckInRequest,
        response: {
          200: { ...CheckIn, description: 'This scan (its nonce) was admitted before' },
          201: { ...CheckIn, description: 'Admitted: let the holder in' },
          ...problems(
            ErrorCode.InvalidRequest,
            ErrorCode.Unauthenticated,
            ErrorCode.Forbidden,
            ErrorCode.AlreadyCheckedIn,
            ErrorCode.TicketCancelled,
            ErrorCode.InvalidTicket,
            ErrorCode.PayloadTooLarge,
            ErrorCode.UnsupportedMediaType,
            ErrorCode.Unavailable,
          ),
        },
      },
      preHandler: requireScanner,
      onSend: noStore,
    },
    async (request, reply) => {
      const { code, nonce } = request.body;
      const answer = await service.checkIn(request.params.eventId, code, nonce ?? null);
      return reply.status(answer.replay ? 200 : 201).send(answer.checkIn);
    },
  );

  app.get(
    '/api/events/:eventId/checkins/summary',
    {
      schema: {
        summary: "The gates' progress: tickets checked in of those expected",
        description: 'Counts live tickets only: a cancelled ticket is neither in nor expected.',
        tags: ['tickets'],
        security: SCANNER_SECURITY,
        params: EventParams,
        response: {
          200: CheckInSummary,
          ...problems(
            ErrorCode.InvalidRequest,
            ErrorCode.Unauthenticated,
            ErrorCode.Forbidden,
            ErrorCode.EventNotFound,
            ErrorCode.Unavailable,
          ),
        },
      },
      preHandler: requireScanner,
      onSend: noStore,
    },
    async (request) => service.checkInSummary(request.params.eventId),
  );

  app.post(
    '/api/admin/events/:eventId/scanner-tokens',
    {
      schema: {
        summary: 'A scanner token for the gates of an event',
        description: 'The token is shown once; it may check in tickets of this event only.',
        tags: ['admin'],
        security: ADMIN_SECURITY,
        params: EventParams,
        response: {
          201: ScannerToken,
          ...problems(...ADMIN_ERRORS, ErrorCode.EventNotFound),
        },
      },
      onRequest: app.requireAdmin,
      onSend: noStore,
    },
    async (request, reply) =>
      reply.status(201).send({ token: await service.createScannerToken(request.params.eventId) }),
  );

  app.get(
    '/api/admin/events/:eventId/revocations',
    {
      schema: {
        summary: 'Tickets cancelled since a time, for offline scanners',
        description: "The admin token, or a scanner token of the event: the gates' own list.",
        tags: ['admin'],
        security: SCANNER_SECURITY,
        params: EventParams,
        querystring: RevocationsQuery,
        response: { 200: Revocations, ...problems(...ADMIN_ERRORS, ErrorCode.Forbidden) },
      },
      preHandler: requireScanner,
      onSend: noStore,
    },
    async (request) => service.revocations(request.params.eventId, new Date(request.query.since)),
  );

  app.post(
    '/api/admin/ticket-keys',
    {
      schema: {
        summary: 'Rotate the ticket signing key',
        description: 'New orders are signed with the new key; the old keys stay listed.',
        tags: ['admin'],
        security: ADMIN_SECURITY,
        response: {
          201: { ...TicketKey, description: 'The new key' },
          ...problems(...ADMIN_ERRORS),
        },
      },
      onRequest: app.requireAdmin,
      onSend: noStore,
    },
    async (_request, reply) => reply.status(201).send(await service.rotateKey()),
  );
};

export default tickets;
