// Schemas of tickets after the sale (API.md "Tickets and check-in", "Buyer details"): the
// ticket and its signed code's claims, the key set that verifies codes, scanner tokens, check-in.
import { Type, type Static } from '@sinclair/typebox';
import { EventId, SeatId, Text, Timestamp } from './common.js';

const TicketId = Type.String({ format: 'uuid' });

/**
 * An e-mail address as browsers accept it in `<input type="email">` (WHATWG), with a dot in the
 * domain: ASCII only, so no control character or space can slip into a mail header.
 */
export const EMAIL_PATTERN =
  "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?" +
  '(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$';

export const Buyer = Type.Object(
  { name: Text(200), email: Type.String({ maxLength: 254, pattern: EMAIL_PATTERN }) },
  { additionalProperties: false, description: 'Who buys: for the confirmation and the tickets' },
);
export type Buyer = Static<typeof Buyer>;

export const Ticket = Type.Object({
  ticketId: TicketId,
  seatId: SeatId,
  sectionId: Type.String(),
  code: Type.String({ description: 'Compact JWS (EdDSA) of the ticket: what its QR code holds' }),
});
export type Ticket = Static<typeof Ticket>;

/** The payload of a ticket code. */
export const TicketClaims = Type.Object({
  tid: TicketId,
  eid: EventId,
  sid: SeatId,
  iat: Type.Integer({ minimum: 0 }),
});
export type TicketClaims = Static<typeof TicketClaims>;

export const TicketKey = Type.Object({
  kty: Type.Literal('OKP'),
  crv: Type.Literal('Ed25519'),
  x: Type.String(),
  kid: Type.String(),
  alg: Type.Literal('EdDSA'),
  use: Type.Literal('sig'),
});
export type TicketKey = Static<typeof TicketKey>;

export const TicketKeySet = Type.Object(
  { keys: Type.Array(TicketKey) },
  { description: 'JWKS (RFC 7517) of every key that signed a ticket: verify codes offline' },
);
export type TicketKeySet = Static<typeof TicketKeySet>;

export const ScannerToken = Type.Object(
  { token: Type.String() },
  { description: "A bearer token that may check in this event's tickets only; shown once" },
);
export type ScannerToken = Static<typeof ScannerToken>;

export const CheckInRequest = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 2_048 }),
    nonce: Type.Optional(
      Type.String({
        pattern: '^[\\x21-\\x7E]{1,200}$',
        description: 'Chosen by the scanner per scan: the same scan sent again gets its answer',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CheckInRequest = Static<typeof CheckInRequest>;

export const CheckIn = Type.Object(
  { ticketId: TicketId, seatId: SeatId, sectionId: Type.String(), checkedInAt: Timestamp },
  { description: 'The ticket is checked in: let its holder in' },
);
export type CheckIn = Static<typeof CheckIn>;

export const CheckInSummary = Type.Object(
  {
    checkedIn: Type.Integer({ minimum: 0, description: 'Live tickets of the event checked in' }),
    expected: Type.Integer({
      minimum: 0,
      description: 'Live (not cancelled) tickets of the event',
    }),
  },
  { description: "The gates' progress: how many of the event's tickets are in" },
);
export type CheckInSummary = Static<typeof CheckInSummary>;

export const RevocationsQuery = Type.Object({ since: Timestamp });
export type RevocationsQuery = Static<typeof RevocationsQuery>;

export const Revocations = Type.Object(
  { ticketIds: Type.Array(TicketId), asOf: Timestamp },
  { description: 'Tickets cancelled after `since`; ask again with `since` = `asOf`' },
);
export type Revocations = Static<typeof Revocations>;

export const OrderQuery = Type.Object({
  key: Type.Optional(
    Type.String({
      maxLength: 200,
      description: "The key of the order's `url`: reads the order without the session token",
    }),
  ),
});
export type OrderQuery = Static<typeof OrderQuery>;
