// The console's calls to the admin API that the typed client has no method for yet: order search
// and detail, cancellation with a refund, webhooks and their deliveries. Each goes through the
// client's raw request with the admin token; a refusal is thrown as ApiError, a reply that is not
// what docs/api.md describes as MalformedResponse.
import { ApiError, MalformedResponse, type TicketmainClient } from '@ticketmain/client';
import { conforms, OrderSearchResult, type Order, type OrderSummary } from '@ticketmain/protocol';

export type { OrderSummary };

/** An order as the organiser sees it: confirmed, or cancelled with its refund. */
export type AdminOrder = Omit<Order, 'status'> & {
  status: 'CONFIRMED' | 'CANCELLED';
  cancelledAt?: string;
  refund?: { amount: number; currency: string };
};

export const WEBHOOK_EVENTS = [
  'order.confirmed',
  'order.cancelled',
  'ticket.checked_in',
  'event.sold_out',
  'queue.opened',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  /** Set when the receiver answered 410 Gone: nothing more is sent to it. */
  disabledAt?: string | null;
  /** Only in the answer that registered it. */
  secret?: string;
}

export interface Delivery {
  attemptedAt: string | null;
  type: string;
  /** The receiver's HTTP status; null when none came (refused, timed out). */
  statusCode: number | null;
  nextRetryAt: string | null;
}

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
  const order = body as Partial<AdminOrder> | null;
  const fine =
    typeof order === 'object' &&
    order !== null &&
    typeof order.orderId === 'string' &&
    Array.isArray(order.seats) &&
    Array.isArray(order.tickets) &&
    typeof order.total === 'number';
  if (!fine) throw new MalformedResponse('order', 200, undefined);
  return order as AdminOrder;
}

export async function listWebhooks(api: TicketmainClient): Promise<Webhook[]> {
  const body = await call(api, 'GET', '/api/admin/webhooks');
  return listOf(body, 'webhooks').map(asWebhook);
}

export async function createWebhook(
  api: TicketmainClient,
  url: string,
  events: string[],
): Promise<Webhook> {
  return asWebhook(await call(api, 'POST', '/api/admin/webhooks', { url, events }));
}

export async function deleteWebhook(api: TicketmainClient, id: string): Promise<void> {
  await call(api, 'DELETE', `/api/admin/webhooks/${enc(id)}`);
}

export async function webhookDeliveries(api: TicketmainClient, id: string): Promise<Delivery[]> {
  const body = await call(api, 'GET', `/api/admin/webhooks/${enc(id)}/deliveries`);
  return listOf(body, 'deliveries').map(asDelivery);
}

/** A list as it is, or as the one array field of an object (`{ webhooks: [...] }`). */
function listOf(body: unknown, field: string): unknown[] {
  if (Array.isArray(body)) return body;
  const inner = (body as Record<string, unknown> | null)?.[field];
  if (Array.isArray(inner)) return inner;
  throw new MalformedResponse(field, 200, undefined);
}

function asWebhook(value: unknown): Webhook {
  const hook = value as Partial<Webhook> | null;
  if (typeof hook?.id !== 'string' || typeof hook.url !== 'string' || !Array.isArray(hook.events)) {
    throw new MalformedResponse('webhook', 200, undefined);
  }
  return hook as Webhook;
}

function asDelivery(value: unknown): Delivery {
  const row = (value ?? {}) as Record<string, unknown>;
  // The first of the names docs/api.md may give each field.
  const pick = (...names: string[]) => names.map((n) => row[n]).find((v) => v !== undefined);
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const status = pick('statusCode', 'status');
  return {
    attemptedAt: text(pick('attemptedAt', 'time', 'at', 'createdAt')),
    type: text(pick('type', 'eventType', 'event')) ?? '—',
    statusCode: typeof status === 'number' ? status : null,
    nextRetryAt: text(pick('nextRetryAt', 'nextAttemptAt', 'nextRetry')),
  };
}
