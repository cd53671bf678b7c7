// The waiting room's routes (API.md "Waiting room"): the organiser's settings, a buyer's entry,
// and the draw's audit.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ErrorCode,
  EventParams,
  JoinQueueRequest,
  Queue,
  QueueAudit,
  QueueEntry,
  QueuePatchRequest,
  QueueSettingsRequest,
} from '@ticketmain/protocol';
import { buyerOf } from '../plugins/auth.js';
import { ADMIN_SECURITY, problems, SESSION_SECURITY } from '../plugins/openapi.js';
import { noStore } from '../plugins/security.js';

const PATH = '/api/events/:eventId/queue';
const ADMIN_PATH = '/api/admin/events/:eventId/queue';
const TAGS = ['queue'];

const admin: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onSend', noStore);

  app.put(
    ADMIN_PATH,
    {
      schema: {
        summary: "Create or replace an event's waiting room",
        description:
          'The seed of the draw is created with the queue and its SHA-256 (`seedCommitment`) ' +
          'is public from then on; replacing the settings keeps both, and the entries. Refused ' +
          'once `salesStartAt` has passed (409 QUEUE_STARTED).',
        tags: TAGS,
        security: ADMIN_SECURITY,
        params: EventParams,
        body: QueueSettingsRequest,
        response: {
          200: Queue,
          ...problems(
            ErrorCode.InvalidRequest,
            ErrorCode.Unauthenticated,
            ErrorCode.NotFound,
            ErrorCode.EventNotFound,
            ErrorCode.QueueStarted,
            ErrorCode.UnsupportedMediaType,
            ErrorCode.Unavailable,
          ),
        },
      },
      onRequest: app.requireAdmin,
    },
    async (request) => app.queue.configure(request.params.eventId, request.body),
  );

  app.patch(
    ADMIN_PATH,
    {
      schema: {
        summary: "Change a waiting room's rate or pause it",
        description: 'Takes effect at the next admission tick, on every replica.',
        tags: TAGS,
        security: ADMIN_SECURITY,
        params: EventParams,
        body: QueuePatchRequest,
        response: {
          200: Queue,
          ...problems(
            ErrorCode.InvalidRequest,
            ErrorCode.Unauthenticated,
            ErrorCode.NotFound,
            ErrorCode.QueueNotFound,
            ErrorCode.UnsupportedMediaType,
            ErrorCode.Unavailable,
          ),
        },
      },
      onRequest: app.requireAdmin,
    },
    async (request) => app.queue.patch(request.params.eventId, request.body),
  );
};

const buyer: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    PATH,
    {
      schema: {
        summary: "Join an event's waiting room",
        description:
          'Before `salesStartAt` the entry is in the pre-queue, numbered by the draw; after, it ' +
          'takes the next number. 201 a new entry, 200 the same entry again. With `powBits` > 0 ' +
          'the body carries a `nonce` such that SHA-256 of `<eventId>:<sessionId>:<nonce>` ' +
          'starts with `powBits` zero bits. Every join of a session (a repeated one too) counts ' +
          'against its limit for the queue (RATE_LIMIT_JOINS_PER_MINUTE): past it, 429 ' +
          'RATE_LIMITED with Retry-After, and nothing is written.',
        tags: TAGS,
        security: SESSION_SECURITY,
        params: EventParams,
        body: JoinQueueRequest,
        response: {
          200: QueueEntry,
          201: QueueEntry,
          ...problems(
            ErrorCode.InvalidRequest,
            ErrorCode.Unauthenticated,
            ErrorCode.QueueNotFound,
            ErrorCode.QueueNotOpen,
            ErrorCode.ProofRequired,
            ErrorCode.UnsupportedMediaType,
            ErrorCode.RateLimited,
            ErrorCode.Unavailable,
          ),
        },
      },
      // The body is optional: without one, the join carries no nonce.
      preValidation: async (request) => {
        request.body ??= {};
      },
      preHandler: app.requireSession,
    },
    async (request, reply) => {
      const { sessionId } = buyerOf(request);
      const { eventId } = request.params;
      const { created, entry } = await app.queue.join(eventId, sessionId, request.body.nonce);
      return reply.status(created ? 201 : 200).send(entry);
    },
  );

  app.get(
    PATH,
    {
      schema: {
        summary: "The session's place in the waiting room",
        tags: TAGS,
        security: SESSION_SECURITY,
        params: EventParams,
        response: {
          200: QueueEntry,
          ...problems(
            ErrorCode.Unauthenticated,
            ErrorCode.QueueNotFound,
            ErrorCode.QueueNotJoined,
            ErrorCode.RateLimited,
            ErrorCode.Unavailable,
          ),
        },
      },
      preHandler: app.requireSession,
    },
    async (request) => app.queue.entry(request.params.eventId, buyerOf(request).sessionId),
  );

  app.get(
    `${PATH}/audit`,
    {
      schema: {
        summary: "The draw's seed and the pre-queue's numbers",
        description:
          'After the draw: anyone can check that SHA-256 of the seed is the commitment shown ' +
          'since the queue was created, and that the pre-queue is numbered 1…n in ascending ' +
          'order of HMAC-SHA256(key = seed bytes, message = ticketId).',
        tags: TAGS,
        params: EventParams,
        response: {
          200: QueueAudit,
          ...problems(ErrorCode.QueueNotFound, ErrorCode.QueueNotDrawn, ErrorCode.Unavailable),
        },
      },
    },
    async (request) => app.queue.audit(request.params.eventId),
  );
};

const routes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(admin);
  await app.register(buyer);
};

export default routes;
