// The waiting room's proof of work, pure (API.md "Waiting room"): a nonce such that SHA-256 of
// the UTF-8 `<eventId>:<sessionId>:<nonce>` starts with `bits` zero bits. Searched in slices,
// so that the worker can report progress between them; SHA-256 in plain JS (@noble/hashes),
// synchronous, about 18 times faster per hash than awaiting crypto.subtle for each
// (330,000 against 18,000 a second, measured in Node 20).
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte !== 0) return bits + Math.clz32(byte) - 24;
    bits += 8;
  }
  return bits;
}

/** The nonce tried at attempt `n`: base 36, printable ASCII as the API requires. */
export const nonceAt = (n: number): string => n.toString(36);

export function proofBits(eventId: string, sessionId: string, nonce: string): number {
  return leadingZeroBits(sha256(utf8ToBytes(`${eventId}:${sessionId}:${nonce}`)));
}

export interface ProofTask {
  eventId: string;
  sessionId: string;
  bits: number;
}

/**
 * Tries attempts `from` … `from + count − 1`; the first nonce that holds, or null. The prefix is
 * hashed once per slice and cloned for each attempt.
 */
export function searchProof(task: ProofTask, from: number, count: number): string | null {
  if (task.bits <= 0) return nonceAt(from);
  const prefix = sha256.create().update(utf8ToBytes(`${task.eventId}:${task.sessionId}:`));
  for (let n = from; n < from + count; n++) {
    const nonce = nonceAt(n);
    const digest = prefix.clone().update(utf8ToBytes(nonce)).digest();
    if (leadingZeroBits(digest) >= task.bits) return nonce;
  }
  return null;
}

/** Solves in one go (tests, and the fallback where there is no Worker). */
export function solveProof(task: ProofTask, slice = 4096): string {
  for (let from = 0; ; from += slice) {
    const nonce = searchProof(task, from, slice);
    if (nonce !== null) return nonce;
  }
}

/**
 * How far along the search probably is, in [0, 1): the chance that a solution would have been
 * found within `tried` attempts (each holds with probability 2^−bits). It never reaches 1, and
 * never goes back, so it is an honest progress bar for a search of unknown length.
 */
export function proofProgress(tried: number, bits: number): number {
  if (bits <= 0) return 0;
  return 1 - Math.exp(-tried / 2 ** bits);
}
