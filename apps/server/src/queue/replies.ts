// The queue scripts' replies, parsed from `unknown`: nothing from Redis is trusted unchecked.
import type { EntryRecord, QueueState } from './types.js';

export class QueueReplyError extends Error {
  constructor(what: string, reply: unknown) {
    super(`unexpected queue reply (${what}): ${JSON.stringify(reply)}`);
    this.name = 'QueueReplyError';
  }
}

export function asArray(reply: unknown, what: string): unknown[] {
  if (!Array.isArray(reply)) throw new QueueReplyError(what, reply);
  return reply as unknown[];
}

export function codeOf(reply: unknown[], what: string): number {
  const code = reply[0];
  if (typeof code !== 'number') throw new QueueReplyError(what, reply);
  return code;
}

function int(value: unknown, what: string): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (typeof value !== 'number' && typeof value !== 'string')
    throw new QueueReplyError(what, value);
  if (!Number.isFinite(n)) throw new QueueReplyError(what, value);
  return n;
}

function optionalInt(value: unknown, what: string): number | null {
  return value === '' || value === null ? null : int(value, what);
}

export function str(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new QueueReplyError(what, value);
  return value;
}

/** queueState.lua's list. */
export function parseState(value: unknown): QueueState {
  const f = asArray(value, 'state');
  if (f.length !== 12) throw new QueueReplyError('state', value);
  const n = (i: number) => int(f[i], 'state');
  return {
    opensAt: n(0),
    salesStartAt: n(1),
    admitPerMinute: n(2),
    admissionSeconds: n(3),
    powBits: n(4),
    paused: f[5] === '1',
    seedCommitment: str(f[6], 'state'),
    drawn: f[7] === '1',
    servedThrough: n(8),
    lastNumber: n(9),
    soldOut: f[10] === '1',
    // Redis answers a missing field with nil, false in Lua's list: no join yet.
    joined: f[11] === false || f[11] === null ? 0 : n(11),
  };
}

/** entryReply.lua's list. */
export function parseEntry(value: unknown): { entry: EntryRecord; now: number; queue: QueueState } {
  const f = asArray(value, 'entry');
  const entry: EntryRecord = {
    ticketId: str(f[0], 'entry'),
    number: optionalInt(f[1], 'entry'),
    admittedUntil: optionalInt(f[2], 'entry'),
  };
  return { entry, now: int(f[3], 'entry'), queue: parseState(f[4]) };
}

/** Flat pairs of ticketId, number. */
export function parsePairs(values: unknown[]): { ticketId: string; number: number }[] {
  const pairs: { ticketId: string; number: number }[] = [];
  for (let i = 0; i + 1 < values.length; i += 2) {
    pairs.push({ ticketId: str(values[i], 'audit'), number: int(values[i + 1], 'audit') });
  }
  return pairs;
}
