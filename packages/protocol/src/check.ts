// Checks a value against a schema of the contract: TypeBox's interpreter (Value.Check compiles
// nothing, so it runs under a CSP without 'unsafe-eval'), with the string formats the schemas use.
import { FormatRegistry, type Static, type TSchema } from '@sinclair/typebox';
import { Errors } from '@sinclair/typebox/errors';
// Value.Check itself, imported alone: the rest of Value (Cast, Convert, Decode...) stays out of
// the web bundle.
import { Check } from '@sinclair/typebox/value';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// TypeBox refuses a format it does not know; the server's Ajv knows these, so must every checker.
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (v) => DATE_TIME.test(v) && !Number.isNaN(Date.parse(v)));
}
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (v) => UUID.test(v));

/** True when `value` is what `schema` describes (extra object fields are allowed unless closed). */
export function conforms<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
  return Check(schema, value);
}

/** Where and why `value` first departs from `schema` ("/seats/0/price: Expected integer"). */
export function firstMismatch(schema: TSchema, value: unknown): string | undefined {
  const error = Errors(schema, value).First();
  return error === undefined ? undefined : `${error.path || '/'}: ${error.message}`;
}
