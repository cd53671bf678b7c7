// Schemas of the organiser's order look-ups (docs/api.md "Orders, for the organiser"): search an
// event's orders by order id or buyer e-mail (a prefix of either), and one order in full.
import { Type, type Static } from '@sinclair/typebox';
import { Cents, Currency, EventId, SeatId, Timestamp } from './common.js';
import { Buyer } from './tickets.js';

export const ORDER_SEARCH_DEFAULT_LIMIT = 20;
export const ORDER_SEARCH_MAX_LIMIT = 100;

export const OrderSearchQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 254,
        description:
          'An order id, a buyer e-mail, or the start of either (case-insensitive); absent: the ' +
          'latest orders',
      }),
    ),
    // A string: query parameters are not coerced (app.ts), so the pattern bounds it to 1–100.
    limit: Type.Optional(
      Type.String({
        pattern: '^(100|[1-9][0-9]?)$',
        description: `How many orders at most, 1–${ORDER_SEARCH_MAX_LIMIT} (default ${ORDER_SEARCH_DEFAULT_LIMIT})`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type OrderSearchQuery = Static<typeof OrderSearchQuery>;

export const OrderSummary = Type.Object(
  {
    orderId: Type.String({ format: 'uuid' }),
    eventId: EventId,
    status: Type.Union([Type.Literal('CONFIRMED'), Type.Literal('CANCELLED')]),
    seatIds: Type.Array(SeatId),
    total: Cents,
    currency: Currency,
    createdAt: Timestamp,
    buyer: Type.Optional(Buyer),
  },
  { description: 'An order as a search lists it; GET /api/admin/orders/:orderId has the rest' },
);
export type OrderSummary = Static<typeof OrderSummary>;

export const OrderSearchResult = Type.Object(
  { orders: Type.Array(OrderSummary) },
  { description: 'The matching orders, newest first' },
);
export type OrderSearchResult = Static<typeof OrderSearchResult>;
