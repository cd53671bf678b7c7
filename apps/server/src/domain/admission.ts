// Admission by rate, pure: the token bucket the admission tick advances (the Redis tick script
// does the same arithmetic in Lua), and what an entry's status is at a given time.

/** At most this much time accrues between two ticks: a stalled ticker never admits a burst. */
export const MAX_ACCRUAL_MS = 1_000;

export interface Bucket {
  /** Fraction of an admission carried over (0 ≤ tokens < 1 after a tick). */
  tokens: number;
  lastTickAt: number;
}

export interface Allowance {
  admit: number;
  bucket: Bucket;
}

/**
 * How many numbers a tick at `now` admits: the rate's allowance since the last tick, whole ones
 * only, at most `room` (the numbers given and not yet admitted). What cannot be used for lack of
 * room is dropped, not banked, so an empty line does not save up a burst.
 */
export function allowance(bucket: Bucket, now: number, perMinute: number, room: number): Allowance {
  const elapsed = Math.min(Math.max(0, now - bucket.lastTickAt), MAX_ACCRUAL_MS);
  const tokens = bucket.tokens + (elapsed * perMinute) / 60_000;
  const whole = Math.floor(tokens);
  const lastTickAt = Math.max(now, bucket.lastTickAt);
  if (whole > room) return { admit: Math.max(0, room), bucket: { tokens: 0, lastTickAt } };
  return { admit: whole, bucket: { tokens: tokens - whole, lastTickAt } };
}

export type EntryStatus = 'prequeue' | 'waiting' | 'admitted' | 'expired' | 'closed';

export interface EntryFacts {
  number: number | null;
  admittedUntil: number | null;
  servedThrough: number;
  admitPerMinute: number;
  soldOut: boolean;
}

export interface EntryStanding {
  status: EntryStatus;
  /** Seconds until the entry's number is admitted at the present rate; null unless waiting. */
  etaSeconds: number | null;
}

export function standing(facts: EntryFacts, now: number): EntryStanding {
  const { number, admittedUntil, servedThrough } = facts;
  if (number !== null && number <= servedThrough && admittedUntil !== null) {
    return { status: admittedUntil > now ? 'admitted' : 'expired', etaSeconds: null };
  }
  if (facts.soldOut) return { status: 'closed', etaSeconds: null };
  if (number === null) return { status: 'prequeue', etaSeconds: null };
  const ahead = number - servedThrough;
  return { status: 'waiting', etaSeconds: Math.ceil((ahead * 60) / facts.admitPerMinute) };
}
