// Request and response schemas of the HTTP routes (API.md).
import { Type, type Static } from '@sinclair/typebox';
import { Cents, Currency, EventId, SeatId, Text, Timestamp } from './common.js';
import { Queue } from './queue.js';
import { Buyer, Ticket } from './tickets.js';
import { Area, Stage, VenueLayout } from './venue.js';

/** Upper bound of MAX_SEATS_PER_SESSION; a request's seatIds never exceed it. */
export const MAX_SEATS_PER_REQUEST = 100;

export const SessionCreated = Type.Object(
  { sessionId: Type.String(), token: Type.String() },
  { description: 'A new session and the bearer token that proves it' },
);
export type SessionCreated = Static<typeof SessionCreated>;

export const EventParams = Type.Object({ eventId: EventId });
export type EventParams = Static<typeof EventParams>;

export const HoldParams = Type.Object({ eventId: EventId, seatId: SeatId });
export type HoldParams = Static<typeof HoldParams>;

export const OrderParams = Type.Object({ orderId: Type.String({ format: 'uuid' }) });
export type OrderParams = Static<typeof OrderParams>;

export const EventSummary = Type.Object({
  id: EventId,
  name: Type.String(),
  venueName: Type.String(),
  startsAt: Timestamp,
  currency: Currency,
  seatCount: Type.Integer(),
  availableCount: Type.Integer(),
});
export type EventSummary = Static<typeof EventSummary>;

export const EventList = Type.Array(EventSummary, {
  description: 'The events on sale, with how many seats are left',
});
export type EventList = Static<typeof EventList>;

export const Section = Type.Object({
  id: Type.String(),
  name: Type.String(),
  price: Cents,
  kind: Type.Union([Type.Literal('seated'), Type.Literal('ga')], {
    description: 'How the section is sold: seat by seat, or general admission (places)',
  }),
  /** GA sections only: how many places it has. */
  capacity: Type.Optional(Type.Integer({ minimum: 1 })),
  /** GA sections only: where it is drawn. */
  area: Type.Optional(Area),
});
export type Section = Static<typeof Section>;

export const Seat = Type.Object({
  id: SeatId,
  sectionId: Type.String(),
  row: Type.String(),
  number: Type.Integer(),
  x: Type.Number(),
  y: Type.Number(),
});
export type Seat = Static<typeof Seat>;

/** The organiser's rules of an event (API.md "Event rules and venue additions"). */
export const EventRules = Type.Object(
  {
    singleSeatRule: Type.Boolean({
      description: 'A hold that would leave a lone seat in a row is refused (409 SINGLE_SEAT)',
    }),
    buyerCancellationUntil: Type.Union([Timestamp, Type.Null()], {
      description: 'Until then a buyer may cancel their own order; null: only the organiser may',
    }),
  },
  { additionalProperties: false },
);
export type EventRules = Static<typeof EventRules>;

/** Rules given on create or PATCH: each one absent keeps its value (default on create). */
export const EventRulesInput = Type.Partial(EventRules, { additionalProperties: false });
export type EventRulesInput = Static<typeof EventRulesInput>;

export const DEFAULT_RULES: EventRules = { singleSeatRule: false, buyerCancellationUntil: null };

export const UpdateEventRequest = Type.Object(
  { rules: EventRulesInput },
  { additionalProperties: false },
);
export type UpdateEventRequest = Static<typeof UpdateEventRequest>;

export const EventDetail = Type.Object(
  {
    id: EventId,
    name: Type.String(),
    venueName: Type.String(),
    startsAt: Timestamp,
    currency: Currency,
    seatCount: Type.Integer(),
    rules: EventRules,
    /** The waiting room's public settings; null: the event has none. */
    queue: Type.Union([Queue, Type.Null()]),
    stage: Stage,
    sections: Type.Array(Section),
    seats: Type.Array(Seat),
  },
  { description: 'An event with its seat map: stage, sections and seats, and its waiting room' },
);
export type EventDetail = Static<typeof EventDetail>;

export const MyHold = Type.Object({ seatId: SeatId, expiresAt: Timestamp });
export type MyHold = Static<typeof MyHold>;

/** A general-admission section's places: how many in all, how many neither held nor sold. */
export const GaAvailability = Type.Object({
  sectionId: Type.String(),
  capacity: Type.Integer({ minimum: 1 }),
  available: Type.Integer({ minimum: 0 }),
});
export type GaAvailability = Static<typeof GaAvailability>;

export const SeatSnapshot = Type.Object(
  {
    eventId: EventId,
    seq: Type.Integer({ minimum: 0 }),
    held: Type.Array(SeatId),
    sold: Type.Array(SeatId),
    mine: Type.Array(MyHold),
    /** Each GA section's places left (its places are never listed in held or sold). */
    ga: Type.Optional(Type.Array(GaAvailability)),
  },
  {
    description:
      "The held and sold seats at `seq`, the caller's own holds and each GA section's places left",
  },
);
export type SeatSnapshot = Static<typeof SeatSnapshot>;

export const SeatIds = Type.Array(SeatId, {
  minItems: 1,
  maxItems: MAX_SEATS_PER_REQUEST,
  uniqueItems: true,
});

/** Places of one general-admission section to hold. */
export const GaHoldRequest = Type.Object(
  {
    sectionId: Type.String({ minLength: 1, maxLength: 64 }),
    quantity: Type.Integer({ minimum: 1, maximum: MAX_SEATS_PER_REQUEST }),
  },
  { additionalProperties: false },
);
export type GaHoldRequest = Static<typeof GaHoldRequest>;

/** At least one of `seatIds` and `ga` (400 otherwise); all of it is held or nothing. */
export const HoldRequest = Type.Object(
  {
    seatIds: Type.Optional(SeatIds),
    ga: Type.Optional(Type.Array(GaHoldRequest, { minItems: 1, maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type HoldRequest = Static<typeof HoldRequest>;

/** A held seat or GA place (its place id is its seatId) with its section. */
export const HeldPlace = Type.Object({
  seatId: SeatId,
  sectionId: Type.String(),
  expiresAt: Timestamp,
});
export type HeldPlace = Static<typeof HeldPlace>;

export const HoldResponse = Type.Object(
  { holds: Type.Array(HeldPlace) },
  { description: 'The seats and places held, each with its section and expiry' },
);
export type HoldResponse = Static<typeof HoldResponse>;

export const BestHoldRequest = Type.Object(
  {
    quantity: Type.Integer({ minimum: 1, maximum: MAX_SEATS_PER_REQUEST }),
    sectionIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        minItems: 1,
        maxItems: 1_000,
        uniqueItems: true,
        description: 'Only seats of these sections (all sections when absent)',
      }),
    ),
    maxPrice: Type.Optional(Cents),
    adjacent: Type.Optional(
      Type.Boolean({
        default: true,
        description: 'Consecutive numbers in one row (default); false: any best seats',
      }),
    ),
  },
  { additionalProperties: false },
);
export type BestHoldRequest = Static<typeof BestHoldRequest>;

export const BestHoldResponse = Type.Object(
  {
    holds: Type.Array(MyHold),
    adjacent: Type.Boolean({ description: 'Whether the seats are side by side in one row' }),
  },
  { description: 'The seats picked and held, each with its expiry' },
);
export type BestHoldResponse = Static<typeof BestHoldResponse>;

export const OrderRequest = Type.Object(
  { seatIds: SeatIds, buyer: Type.Optional(Buyer) },
  { additionalProperties: false },
);
export type OrderRequest = Static<typeof OrderRequest>;

export const IDEMPOTENCY_KEY_PATTERN = '^[\\x21-\\x7E]{1,200}$';

export const OrderHeaders = Type.Object({
  'idempotency-key': Type.String({
    pattern: IDEMPOTENCY_KEY_PATTERN,
    description: 'Chosen by the client per order; a retry with the same key gets the same order',
  }),
});

export const OrderSeat = Type.Object({ seatId: SeatId, sectionId: Type.String(), price: Cents });
export type OrderSeat = Static<typeof OrderSeat>;

export const Order = Type.Object(
  {
    orderId: Type.String(),
    eventId: EventId,
    status: Type.Union([Type.Literal('CONFIRMED'), Type.Literal('CANCELLED')]),
    seats: Type.Array(OrderSeat),
    total: Cents,
    currency: Currency,
    createdAt: Timestamp,
    tickets: Type.Array(Ticket),
    url: Type.String({
      description: "The order's page in the web app; its secret `key` opens it on any device",
    }),
    buyer: Type.Optional(Buyer),
    cancelledAt: Type.Optional(Timestamp),
    refund: Type.Optional(
      Type.Object(
        { amount: Cents, currency: Currency },
        { description: 'What the cancellation gave back' },
      ),
    ),
  },
  { description: 'An order; `cancelledAt` and `refund` once it is CANCELLED' },
);
export type Order = Static<typeof Order>;

export const CancelRequest = Type.Object(
  {
    refund: Type.Optional(
      Type.Integer({
        description:
          'Cents to give back, from 0 to the total (422 INVALID_REFUND otherwise); ' +
          'default the total',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CancelRequest = Static<typeof CancelRequest>;

export const CreateEventRequest = Type.Object(
  {
    id: Type.Optional(EventId),
    name: Text(200),
    venue: VenueLayout,
    startsAt: Timestamp,
    currency: Currency,
    rules: Type.Optional(EventRulesInput),
  },
  { additionalProperties: false },
);
export type CreateEventRequest = Static<typeof CreateEventRequest>;

export const Health = Type.Object(
  { status: Type.String() },
  { description: 'The process answers' },
);
export type Health = Static<typeof Health>;
export const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not-ready')]),
  checks: Type.Record(Type.String(), Type.Boolean()),
});
export type Readiness = Static<typeof Readiness>;
