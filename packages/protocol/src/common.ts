// Identifiers and shared scalar schemas of the contract.
import { Type, type Static } from '@sinclair/typebox';

/** Version of the wire protocol; bumped on a breaking change of a message or route. */
export const PROTOCOL_VERSION = 1;

/** Seat and event ids: 1–64 characters of A-Z a-z 0-9 _ - . (API.md). */
export const ID_PATTERN = '^[A-Za-z0-9_.-]{1,64}$';

export const SeatId = Type.String({ pattern: ID_PATTERN, minLength: 1, maxLength: 64 });
export type SeatId = Static<typeof SeatId>;

export const EventId = Type.String({ pattern: ID_PATTERN, minLength: 1, maxLength: 64 });
export type EventId = Static<typeof EventId>;

/**
 * Free text (names, labels): no control character (C0 with NUL, which PostgreSQL refuses in text
 * and jsonb; DEL; C1) and no lone UTF-16 surrogate (jsonb refuses its \u escape). A name is one
 * line: a tab or a newline in it is a mistake or a trick. Written to mean the same with and
 * without the regular expression's `u` flag (Ajv sets it, TypeBox's Value does not).
 */
export const TEXT_PATTERN =
  '^(?:[^\\u0000-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])*$';

/** A free-text field of 1 to `maxLength` characters (TEXT_PATTERN). */
export const Text = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: TEXT_PATTERN });

/** Integer minor units (cents). */
export const Cents = Type.Integer({ minimum: 0, maximum: 100_000_000 });

/** ISO 4217 currency code. */
export const Currency = Type.String({ pattern: '^[A-Z]{3}$' });

/** ISO-8601 timestamp in UTC. */
export const Timestamp = Type.String({ format: 'date-time' });

export const SeatStatus = Type.Union([
  Type.Literal('AVAILABLE'),
  Type.Literal('HELD'),
  Type.Literal('SOLD'),
]);
export type SeatStatus = Static<typeof SeatStatus>;
