// Error codes of the contract and the problem+json body that carries them.
import { Type, type Static } from '@sinclair/typebox';

export const ErrorCode = {
  InvalidRequest: 'INVALID_REQUEST',
  Unauthenticated: 'UNAUTHENTICATED',
  NotFound: 'NOT_FOUND',
  EventNotFound: 'EVENT_NOT_FOUND',
  UnknownSeat: 'UNKNOWN_SEAT',
  UnknownSection: 'UNKNOWN_SECTION',
  WrongSectionKind: 'WRONG_SECTION_KIND',
  HoldLimit: 'HOLD_LIMIT',
  SeatUnavailable: 'SEAT_UNAVAILABLE',
  HoldNotFound: 'HOLD_NOT_FOUND',
  NotOwner: 'NOT_OWNER',
  SeatNotHeld: 'SEAT_NOT_HELD',
  SeatSold: 'SEAT_SOLD',
  CheckoutInProgress: 'CHECKOUT_IN_PROGRESS',
  AlreadyExtended: 'ALREADY_EXTENDED',
  SingleSeat: 'SINGLE_SEAT',
  NoSeatsAvailable: 'NO_SEATS_AVAILABLE',
  IdempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  OrderNotFound: 'ORDER_NOT_FOUND',
  Forbidden: 'FORBIDDEN',
  InvalidTicket: 'INVALID_TICKET',
  AlreadyCheckedIn: 'ALREADY_CHECKED_IN',
  TicketCancelled: 'TICKET_CANCELLED',
  CancellationClosed: 'CANCELLATION_CLOSED',
  InvalidRefund: 'INVALID_REFUND',
  RequestTimeout: 'REQUEST_TIMEOUT',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UriTooLong: 'URI_TOO_LONG',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  ExpectationFailed: 'EXPECTATION_FAILED',
  HeadersTooLarge: 'HEADERS_TOO_LARGE',
  RateLimited: 'RATE_LIMITED',
  AddressLimit: 'ADDRESS_LIMIT',
  QueueNotFound: 'QUEUE_NOT_FOUND',
  QueueNotOpen: 'QUEUE_NOT_OPEN',
  QueueStarted: 'QUEUE_STARTED',
  QueueNotJoined: 'QUEUE_NOT_JOINED',
  QueueNotDrawn: 'QUEUE_NOT_DRAWN',
  ProofRequired: 'PROOF_REQUIRED',
  QueueAdmissionRequired: 'QUEUE_ADMISSION_REQUIRED',
  WebhookNotFound: 'WEBHOOK_NOT_FOUND',
  WebhookTargetRefused: 'WEBHOOK_TARGET_REFUSED',
  Unavailable: 'UNAVAILABLE',
  Internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** RFC 9457 problem details, as every error response carries it. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    seats: Type.Optional(Type.Array(Type.String())),
    /** SEAT_UNAVAILABLE: the GA sections without enough places left. */
    sections: Type.Optional(Type.Array(Type.String())),
    /** QUEUE_NOT_OPEN: when the queue opens. */
    opensAt: Type.Optional(Type.String({ format: 'date-time' })),
    /** PROOF_REQUIRED: the leading zero bits the join's proof needs. */
    powBits: Type.Optional(Type.Integer({ minimum: 0 })),
    checkedInAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: true },
);
export type Problem = Static<typeof Problem>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
