// Parsing of raw Redis script replies: they arrive as `unknown` and are checked before use.

import { ScriptCode } from './codes.js';

export class ReplyError extends Error {
  constructor(what: string, value: unknown) {
    super(`Unexpected hold-store script reply: ${what} (got ${JSON.stringify(value)})`);
    this.name = 'ReplyError';
  }
}

export function asArray(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new ReplyError('expected an array', value);
  return value;
}

export function asInt(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new ReplyError('expected an integer', value);
  }
  return n;
}

export function asString(value: unknown): string {
  if (typeof value !== 'string') throw new ReplyError('expected a string', value);
  return value;
}

export function asStrings(value: unknown): string[] {
  return asArray(value).map(asString);
}

/** Reads a flat `[key, int, key, int, ...]` list as pairs. */
export function asPairs(values: unknown[]): Array<[string, number]> {
  if (values.length % 2 !== 0) throw new ReplyError('expected pairs', values);
  const pairs: Array<[string, number]> = [];
  for (let i = 0; i < values.length; i += 2) {
    pairs.push([asString(values[i]), asInt(values[i + 1])]);
  }
  return pairs;
}

const KNOWN_CODES = new Set<number>(
  Object.values(ScriptCode).filter((v): v is number => typeof v === 'number'),
);

/** Splits a script reply into its code and the rest. */
export function splitReply(reply: unknown): { code: ScriptCode; rest: unknown[] } {
  const [first, ...rest] = asArray(reply);
  const code = asInt(first);
  if (!KNOWN_CODES.has(code)) throw new ReplyError('unknown code', first);
  return { code: code as ScriptCode, rest };
}
