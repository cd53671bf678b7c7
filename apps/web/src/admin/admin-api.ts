// The console's calls to the admin API that the typed client has no method for yet: order search
// and detail, cancellation with a refund, webhooks and their deliveries. Each goes through the
// client's raw request with the admin token; a refusal is thrown as ApiError, a reply that is not
// what docs/api.md describes as MalformedResponse.
import { ApiError, MalformedResponse, type TicketmainClient } from '@ticketmain/client';
import {
  conforms,
  DeliveryAttempts,
  Order,
  OrderSearchResult,
  WEBHOOK_EVENTS,
  WebhookCreated,
  WebhookEndpoint,
  type DeliveryAttempt,
  type WebhookEventType,
  type OrderSummary,
} from '@ticketmain/protocol';
import { Type } from '@sinclair/typebox';

export type { OrderSummary };

/** An order as the organiser sees it: CONFIRMED, or CANCELLED with `cancelledAt` and `refund`. */
export type AdminOrder = Order;
export type Webhook = WebhookEndpoint & { secret?: string };
export type Delivery = DeliveryAttempt;
export { WEBHOOK_EVENTS, type WebhookEventType };

const enc = encodeURIComponent;

async function call(
  api: TicketmainClient,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const reply = await api.request(method, path, {
    auth: 'admin',
    body,
    headers: { accept: 'application/json' },
  });
  if (reply.status < 200 || reply.status >= 300) throw ApiError.of(reply.status, reply.body);
  return reply.body;
}

export async function searchOrders(
  api: TicketmainClient,
  eventId: string,
  query: string,
): Promise<OrderSummary[]> {
  const q = query.trim() === '' ? '' : `&q=${enc(query.trim())}`;
  const body = await call(api, 'GET', `/api/admin/events/${enc(eventId)}/orders?limit=50${q}`);
  if (!conforms(OrderSearchResult, body)) throw new MalformedResponse('order list', 200, undefined);
  return body.orders;
}

export async function adminOrder(api: TicketmainClient, orderId: string): Promise<AdminOrder> {
  return asOrder(await call(api, 'GET', `/api/admin/orders/${enc(orderId)}`));
}

/** API.md "Cancellation": the order, CANCELLED, with `cancelledAt` and `refund`; again: the same. */
export async function cancelOrder(
  api: TicketmainClient,
  orderId: string,
  refund: number,
): Promise<AdminOrder> {
  return asOrder(await call(api, 'POST', `/api/admin/orders/${enc(orderId)}/cancel`, { refund }));
}

function asOrder(body: unknown): AdminOrder {
  if (!conforms(Order, body)) throw new MalformedResponse('order', 200, undefined);
  return body;
}

const WebhookList = Type.Array(WebhookEndpoint);

export async function listWebhooks(api: TicketmainClient): Promise<Webhook[]> {
  const body = await call(api, 'GET', '/api/admin/webhooks');
  if (!conforms(WebhookList, body)) throw new MalformedResponse('webhook list', 200, undefined);
  return body;
}

export async function createWebhook(
  api: TicketmainClient,
  url: string,
  events: WebhookEventType[],
): Promise<Webhook> {
  const body = await call(api, 'POST', '/api/admin/webhooks', { url, events });
  if (!conforms(WebhookCreated, body)) throw new MalformedResponse('webhook', 201, undefined);
  return body;
}

export async function deleteWebhook(api: TicketmainClient, id: string): Promise<void> {
  await call(api, 'DELETE', `/api/admin/webhooks/${enc(id)}`);
}

export async function webhookDeliveries(api: TicketmainClient, id: string): Promise<Delivery[]> {
  const body = await call(api, 'GET', `/api/admin/webhooks/${enc(id)}/deliveries`);
  if (!conforms(DeliveryAttempts, body)) throw new MalformedResponse('deliveries', 200, undefined);
  return body;
}
