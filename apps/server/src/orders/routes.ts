// Placing an order (idempotent by key) and reading one back.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EventParams, Order, OrderHeaders, OrderParams, OrderRequest } from '@ticketmain/protocol';
import { buyerOf } from '../plugins/auth.js';

const orders: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/events/:eventId/orders',
    {
      config: { countAs: 'orders', ...app.limits.orders },
      schema: {
        params: EventParams,
        headers: OrderHeaders,
        body: OrderRequest,
        response: { 200: Order, 201: Order },
      },
      preHandler: app.requireSession,
    },
    async (request, reply) => {
      const placed = await app.orders.placeOrder({
        eventId: request.params.eventId,
        sessionId: buyerOf(request).sessionId,
        seatIds: request.body.seatIds,
        idempotencyKey: request.headers['idempotency-key'],
      });
      return reply.status(placed.replay ? 200 : 201).send(placed.order);
    },
  );

  app.get(
    '/api/orders/:orderId',
    { schema: { params: OrderParams, response: { 200: Order } }, preHandler: app.requireSession },
    async (request) => app.orders.getOrder(request.params.orderId, buyerOf(request).sessionId),
  );
};

export default orders;
