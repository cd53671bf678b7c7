// Placing an order (idempotent by key), reading one back, and cancelling one (buyer, organiser).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CancelRequest,
  ErrorCode,
  EventParams,
  Order,
  OrderHeaders,
  OrderParams,
  OrderQuery,
  OrderRequest,
} from '@ticketmain/protocol';
import { errors } from '../domain/errors.js';
import { buyerOf } from '../plugins/auth.js';
import {
  ADMIN_SECURITY,
  OPTIONAL_SESSION_SECURITY,
  problems,
  SESSION_SECURITY,
} from '../plugins/openapi.js';
import { noStore } from '../plugins/security.js';

const orders: FastifyPluginAsyncTypebox = async (app) => {
  // An order is its buyer's alone; this plugin's routes only.
  app.addHook('onSend', noStore);

  app.post(
    '/api/events/:eventId/orders',
    {
      config: { countAs: 'orders', ...app.limits.orders },
      schema: {
        summary: "Order the session's held seats",
        description:
          'A 201 means the order is committed. The same `Idempotency-Key` with the same seats ' +
          'again answers 200 with the same order (and the buyer details given first).',
        tags: ['orders'],
        security: SESSION_SECURITY,
        params: EventParams,
        headers: OrderHeaders,
        body: OrderRequest,
        response: {
          200: { ...Order, description: 'The order placed earlier with this Idempotency-Key' },
          201: { ...Order, description: 'Placed and committed' },
          ...problems(
            ErrorCode.InvalidRequest,
            ErrorCode.Unauthenticated,
            ErrorCode.EventNotFound,
            ErrorCode.SeatNotHeld,
            ErrorCode.SeatSold,
            ErrorCode.CheckoutInProgress,
            ErrorCode.UnknownSeat,
            ErrorCode.IdempotencyKeyReused,
            ErrorCode.PayloadTooLarge,
            ErrorCode.UnsupportedMediaType,
            ErrorCode.RateLimited,
            ErrorCode.Unavailable,
          ),
        },
      },
      preHandler: app.requireSession,
    },
    async (request, reply) => {
      const placed = await app.orders.placeOrder({
        eventId: request.params.eventId,
        sessionId: buyerOf(request).sessionId,
        seatIds: request.body.seatIds,
        idempotencyKey: request.headers['idempotency-key'],
        buyer: request.body.buyer,
      });
      return reply.status(placed.replay ? 200 : 201).send(placed.order);
    },
  );

  app.get(
    '/api/orders/:orderId',
    {
      schema: {
        summary: 'An order, by its session or by the key of its url',
        description:
          "With the `key` of the order's `url`, no session token is needed. An order that is " +
          'not the caller’s answers 404, as one that does not exist.',
        tags: ['orders'],
        security: OPTIONAL_SESSION_SECURITY,
        params: OrderParams,
        querystring: OrderQuery,
        response: {
          200: Order,
          ...problems(
            ErrorCode.InvalidRequest,
            ErrorCode.Unauthenticated,
            ErrorCode.OrderNotFound,
            ErrorCode.Unavailable,
          ),
        },
      },
      preHandler: app.optionalSession,
    },
    async (request) =>
      app.orders.getOrder(request.params.orderId, {
        sessionId: request.buyer?.sessionId,
        key: request.query.key,
      }),
  );

  app.post(
    '/api/orders/:orderId/cancel',
    {
      // The orders' budget: per session, or per address for a caller with the key alone.
      config: { ...app.limits.orders },
      schema: {
        summary: 'Cancel an order as its buyer, with a full refund',
        description:
          "By the order's session, or with the `key` of its `url` (whoever may read the order " +
          "may cancel it), while the event's `buyerCancellationUntil` is ahead; else 403 " +
          'CANCELLATION_CLOSED. The seats are released at once; the tickets are refused at ' +
          'check-in. An order already cancelled answers 200 as it is.',
        tags: ['orders'],
        security: OPTIONAL_SESSION_SECURITY,
        params: OrderParams,
        querystring: OrderQuery,
        response: {
          200: { ...Order, description: 'The order, CANCELLED' },
          ...problems(
            ErrorCode.InvalidRequest,
            ErrorCode.Unauthenticated,
            ErrorCode.CancellationClosed,
            ErrorCode.OrderNotFound,
            ErrorCode.RateLimited,
            ErrorCode.Unavailable,
          ),
        },
      },
      preHandler: app.optionalSession,
    },
    async (request) => {
      const reader = { sessionId: request.buyer?.sessionId, key: request.query.key };
      if (reader.sessionId === undefined && reader.key === undefined)
        throw errors.unauthenticated();
      return app.cancellations.cancelByBuyer(request.params.orderId, reader);
    },
  );

  app.post(
    '/api/admin/orders/:orderId/cancel',
    {
      schema: {
        summary: 'Cancel an order as the organiser, with a refund',
        description:
          '`refund` in cents, from 0 to the total (default the total). The seats are released at ' +
          'once; the tickets are refused at check-in. Again: 200, the order unchanged.',
        tags: ['admin'],
        security: ADMIN_SECURITY,
        params: OrderParams,
        body: CancelRequest,
        response: {
          200: { ...Order, description: 'The order, CANCELLED' },
          ...problems(
            ErrorCode.InvalidRequest,
            ErrorCode.Unauthenticated,
            ErrorCode.OrderNotFound,
            ErrorCode.InvalidRefund,
            ErrorCode.UnsupportedMediaType,
            ErrorCode.Unavailable,
          ),
        },
      },
      onRequest: app.requireAdmin,
      // The body is optional (a full refund): none is validated as `{}`.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) =>
      app.cancellations.cancelByOrganiser(request.params.orderId, request.body.refund),
  );
};

export default orders;
