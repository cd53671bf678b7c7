// Schemas of the organiser's webhooks (API.md "Webhooks"): endpoints, their secret, and the
// log of delivery attempts. The delivered body is `{ type, timestamp, data }` (WebhookBody).
import { Type, type Static } from '@sinclair/typebox';
import { Timestamp } from './common.js';

export const WEBHOOK_EVENTS = [
  'order.confirmed',
  'order.cancelled',
  'ticket.checked_in',
  'event.sold_out',
  'queue.opened',
] as const;

export const WebhookEventType = Type.Union(WEBHOOK_EVENTS.map((type) => Type.Literal(type)));
export type WebhookEventType = Static<typeof WebhookEventType>;

const WebhookId = Type.String({ format: 'uuid' });

export const WebhookRequest = Type.Object(
  {
    url: Type.String({
      pattern: '^https?://[^\\s]+$',
      maxLength: 2_000,
      description: 'http(s) URL that receives the POSTs; private addresses are refused',
    }),
    events: Type.Array(WebhookEventType, { minItems: 1, maxItems: 5, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type WebhookRequest = Static<typeof WebhookRequest>;

export const WebhookEndpoint = Type.Object({
  id: WebhookId,
  url: Type.String(),
  events: Type.Array(WebhookEventType),
  createdAt: Timestamp,
  /** Set when the receiver answered 410 Gone: nothing more is sent to it. */
  disabledAt: Type.Union([Timestamp, Type.Null()]),
});
export type WebhookEndpoint = Static<typeof WebhookEndpoint>;

export const WebhookCreated = Type.Intersect(
  [
    WebhookEndpoint,
    Type.Object({
      secret: Type.String({
        description: '`whsec_` + base64 of the signing key (Standard Webhooks); shown once',
      }),
    }),
  ],
  { description: 'The endpoint and its signing secret' },
);
export type WebhookCreated = Static<typeof WebhookCreated>;

export const WebhookParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export type WebhookParams = Static<typeof WebhookParams>;

export const DeliveryAttempt = Type.Object({
  deliveryId: Type.Integer(),
  type: WebhookEventType,
  attemptedAt: Timestamp,
  /** The receiver's HTTP status; null when no answer came (refused, timed out). */
  status: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  /** When it is tried again; null: delivered or given up. */
  nextAttemptAt: Type.Union([Timestamp, Type.Null()]),
});
export type DeliveryAttempt = Static<typeof DeliveryAttempt>;

export const DeliveryAttempts = Type.Array(DeliveryAttempt, {
  description: 'The most recent attempts first (at most 100)',
});

/** What a receiver gets. */
export const WebhookBody = Type.Object({
  type: WebhookEventType,
  timestamp: Timestamp,
  data: Type.Record(Type.String(), Type.Unknown()),
});
export type WebhookBody = Static<typeof WebhookBody>;
