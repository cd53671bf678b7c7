// The waiting room's fairness rules, pure: the draw of the pre-queue from a committed seed, the
// seed's public commitment, and the proof of work a join may have to carry (API.md "Waiting room").
import { createHash, createHmac } from 'node:crypto';

export interface DrawnEntry {
  ticketId: string;
  number: number;
}

/** The lowercase hex HMAC-SHA256 of a ticket id under the seed: its place in the draw. */
export function drawKey(seed: Buffer, ticketId: string): string {
  return createHmac('sha256', seed).update(ticketId, 'utf8').digest('hex');
}

/**
 * Numbers 1…n for the pre-queue's ticket ids, in ascending order of their draw key (ties, which
 * need equal ticket ids, by ticket id). The order of `ticketIds` does not matter.
 */
export function draw(seed: Buffer, ticketIds: readonly string[]): DrawnEntry[] {
  return ticketIds
    .map((ticketId) => ({ ticketId, key: drawKey(seed, ticketId) }))
    .sort((a, b) => compare(a.key, b.key) || compare(a.ticketId, b.ticketId))
    .map(({ ticketId }, index) => ({ ticketId, number: index + 1 }));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The public commitment to a seed: lowercase hex SHA-256 of its bytes. */
export function seedCommitment(seed: Buffer): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** True when every number of `entries` is the one the seed gives its ticket id. */
export function verifyDraw(seed: Buffer, entries: readonly DrawnEntry[]): boolean {
  const expected = new Map(
    draw(
      seed,
      entries.map((e) => e.ticketId),
    ).map((e) => [e.ticketId, e]),
  );
  return entries.every((e) => expected.get(e.ticketId)?.number === e.number);
}

/** Leading zero bits of a digest. */
export function leadingZeroBits(digest: Buffer): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** The leading zero bits of SHA-256 of `<eventId>:<sessionId>:<nonce>`: 0 without a nonce. */
export function proofBits(eventId: string, sessionId: string, nonce: string | undefined): number {
  if (nonce === undefined) return 0;
  const digest = createHash('sha256').update(`${eventId}:${sessionId}:${nonce}`, 'utf8').digest();
  return leadingZeroBits(digest);
}

/** The join's proof: SHA-256 of `<eventId>:<sessionId>:<nonce>` starts with `powBits` zero bits. */
export function proofHolds(
  eventId: string,
  sessionId: string,
  nonce: string | undefined,
  powBits: number,
): boolean {
  return powBits <= 0 || proofBits(eventId, sessionId, nonce) >= powBits;
}

/** Finds a nonce for `proofHolds` by counting up (what a client does, in a worker). */
export function solveProof(eventId: string, sessionId: string, powBits: number): string {
  for (let n = 0; ; n++) {
    const nonce = n.toString(36);
    if (proofHolds(eventId, sessionId, nonce, powBits)) return nonce;
  }
}
