// Request and response schemas of the waiting room (API.md "Waiting room").
import { Type, type Static } from '@sinclair/typebox';
import { Timestamp } from './common.js';

export const QUEUE_DEFAULT_ADMISSION_SECONDS = 600;
/** A proof harder than this would take a phone minutes: refused as a setting. */
export const QUEUE_MAX_POW_BITS = 32;

const AdmitPerMinute = Type.Integer({ minimum: 1, maximum: 1_000_000 });

export const QueueSettingsRequest = Type.Object(
  {
    opensAt: Timestamp,
    salesStartAt: Timestamp,
    admitPerMinute: AdmitPerMinute,
    admissionSeconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 86_400, default: QUEUE_DEFAULT_ADMISSION_SECONDS }),
    ),
    powBits: Type.Optional(Type.Integer({ minimum: 0, maximum: QUEUE_MAX_POW_BITS, default: 0 })),
  },
  { additionalProperties: false },
);
export type QueueSettingsRequest = Static<typeof QueueSettingsRequest>;

export const QueuePatchRequest = Type.Object(
  { admitPerMinute: Type.Optional(AdmitPerMinute), paused: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);
export type QueuePatchRequest = Static<typeof QueuePatchRequest>;

export const Queue = Type.Object(
  {
    opensAt: Timestamp,
    salesStartAt: Timestamp,
    admitPerMinute: Type.Integer(),
    admissionSeconds: Type.Integer(),
    powBits: Type.Integer(),
    paused: Type.Boolean(),
    seedCommitment: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  },
  { description: "An event's waiting room; `seedCommitment` is the SHA-256 of the draw's seed" },
);
export type Queue = Static<typeof Queue>;

export const JoinQueueRequest = Type.Object(
  {
    nonce: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7E]+$' }),
    ),
  },
  { additionalProperties: false },
);
export type JoinQueueRequest = Static<typeof JoinQueueRequest>;

export const QueueStatus = Type.Union([
  Type.Literal('prequeue'),
  Type.Literal('waiting'),
  Type.Literal('admitted'),
  Type.Literal('expired'),
  Type.Literal('closed'),
]);
export type QueueStatus = Static<typeof QueueStatus>;

export const QueueEntry = Type.Object(
  {
    status: QueueStatus,
    ticketId: Type.String(),
    number: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    servedThrough: Type.Integer({ minimum: 0 }),
    etaSeconds: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    admittedUntil: Type.Union([Timestamp, Type.Null()]),
  },
  { description: "The session's place in the waiting room" },
);
export type QueueEntry = Static<typeof QueueEntry>;

export const DrawnTicket = Type.Object({ ticketId: Type.String(), number: Type.Integer() });
export type DrawnTicket = Static<typeof DrawnTicket>;

export const QueueAudit = Type.Object(
  {
    seed: Type.String({ pattern: '^[0-9a-f]+$' }),
    seedCommitment: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    prequeue: Type.Array(DrawnTicket),
  },
  { description: "The draw's seed and the pre-queue's numbers, for anyone to check" },
);
export type QueueAudit = Static<typeof QueueAudit>;
