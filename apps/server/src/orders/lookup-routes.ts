// The organiser's order look-ups (admin token): search an event's orders, read any order.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ErrorCode,
  EventParams,
  Order,
  OrderParams,
  OrderSearchQuery,
  OrderSearchResult,
} from '@ticketmain/protocol';
import { ADMIN_EVENT_REFUSALS, ADMIN_SECURITY, problems } from '../plugins/openapi.js';
import { noStore } from '../plugins/security.js';

const lookups: FastifyPluginAsyncTypebox = async (app) => {
  // Buyers' names and e-mails: never cached on the way.
  app.addHook('onSend', noStore);

  app.get(
    '/api/admin/events/:eventId/orders',
    {
      schema: {
        summary: "Search an event's orders by order id or buyer e-mail",
        description:
          '`q` matches the start of an order id (dashes optional) or of the buyer e-mail, ' +
          'case-insensitively; without `q`, the latest orders. Newest first, at most `limit`. ' +
          'A search may miss an order placed in the last moment (it reads a replica).',
        tags: ['admin'],
        security: ADMIN_SECURITY,
        params: EventParams,
        querystring: OrderSearchQuery,
        response: { 200: OrderSearchResult, ...problems(...ADMIN_EVENT_REFUSALS) },
      },
      onRequest: app.requireAdmin,
    },
    async (request) => {
      const { q, limit } = request.query;
      const orders = await app.orderLookup.search(
        request.params.eventId,
        q,
        limit === undefined ? undefined : Number(limit),
      );
      return { orders };
    },
  );

  app.get(
    '/api/admin/orders/:orderId',
    {
      schema: {
        summary: 'Any order, in full',
        tags: ['admin'],
        security: ADMIN_SECURITY,
        params: OrderParams,
        response: {
          200: Order,
          ...problems(
            ErrorCode.InvalidRequest,
            ErrorCode.Unauthenticated,
            ErrorCode.NotFound,
            ErrorCode.OrderNotFound,
            ErrorCode.Unavailable,
          ),
        },
      },
      onRequest: app.requireAdmin,
    },
    async (request) => app.orderLookup.order(request.params.orderId),
  );
};

export default lookups;
