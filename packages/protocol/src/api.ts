// Request and response schemas of the HTTP routes (API.md).
import { Type, type Static } from '@sinclair/typebox';
import { Cents, Currency, EventId, SeatId, Text, Timestamp } from './common.js';
import { Queue } from './queue.js';
import { Buyer, Ticket } from './tickets.js';
import { GaArea, Stage, VenueLayout } from './venue.js';

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

export const SeatedSection = Type.Object({
  id: Type.String(),
  name: Type.String(),
  price: Cents,
  kind: Type.Literal('seated', { description: 'How the section is sold: seat by seat' }),
});
export type SeatedSection = Static<typeof SeatedSection>;

/** A general-admission area: `capacity` places with no fixed position, drawn as `area`. */
export const GaSection = Type.Object({
  id: Type.String(),
  name: Type.String(),
  price: Cents,
  kind: Type.Literal('ga', { description: 'How the section is sold: places by quantity' }),
  capacity: Type.Integer({ minimum: 1 }),
  area: GaArea,
});
export type GaSection = Static<typeof GaSection>;

export const Section = Type.Union([SeatedSection, GaSection]);
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

export const MyHold = Type.Object({
  seatId: SeatId,
  /** A general-admission place: its section (the seat id is a place id the server chose). */
  sectionId: Type.Optional(Type.String()),
  expiresAt: Timestamp,
});
export type MyHold = Static<typeof MyHold>;

/** How many places of a general-admission section are left. */
export const GaAvailability = Type.Object({
  sectionId: Type.String(),
  capacity: Type.Integer({ minimum: 0 }),
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
    /** General-admission sections: how many places are left at `seq`. */
    ga: Type.Optional(Type.Array(GaAvailability)),
  },
  { description: "The held and sold seats at `seq`, and the caller's own holds" },
);
export type SeatSnapshot = Static<typeof SeatSnapshot>;

export const SeatIds = Type.Array(SeatId, {
  minItems: 1,
  maxItems: MAX_SEATS_PER_REQUEST,
  uniqueItems: true,
});

export const GaQuantity = Type.Object(
  {
    sectionId: Type.String({ minLength: 1, maxLength: 64 }),
    quantity: Type.Integer({ minimum: 1, maximum: MAX_SEATS_PER_REQUEST }),
  },
  { additionalProperties: false },
);
export type GaQuantity = Static<typeof GaQuantity>;

export const HoldRequest = Type.Object({ seatIds: SeatIds }, { additionalProperties: false });
export type HoldRequest = Static<typeof HoldRequest>;

export const HoldResponse = Type.Object(
  { holds: Type.Array(MyHold) },
  { description: 'The seats held, each with its expiry' },
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
