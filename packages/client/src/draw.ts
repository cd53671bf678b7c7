// Checking a waiting room's draw from its audit (API.md "Waiting room"), in a browser or in Node:
// SHA-256 of the seed is the commitment shown since the queue was created, and the pre-queue is
// numbered 1…n in ascending order of HMAC-SHA256(key = the seed's bytes, message = ticketId), as
// lowercase hex, ties by ticket id. The same rule as the server's domain/draw.ts, over WebCrypto
// (the client does not import the server; a server test holds the two to the same answers).
import type { DrawnTicket, QueueAudit } from '@ticketmain/protocol';

export interface DrawCheck {
  /** SHA-256 of the seed is the commitment. */
  commitmentHolds: boolean;
  /** Every ticket of the audit has the number the seed gives it, and the numbers are 1…n. */
  numbersHold: boolean;
  /** Tickets whose number is not the seed's: what the audit says and what the seed gives. */
  mismatches: { ticketId: string; number: number; expected: number | null }[];
}

function bytesOfHex(hex: string): Uint8Array<ArrayBuffer> {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) throw new Error('seed: not lowercase hex bytes');
  const bytes = new Uint8Array(new ArrayBuffer(hex.length / 2));
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

const hexOf = (buffer: ArrayBuffer): string =>
  Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Lowercase hex SHA-256 of the seed's bytes. */
export async function seedCommitmentOf(seed: string): Promise<string> {
  return hexOf(await crypto.subtle.digest('SHA-256', bytesOfHex(seed)));
}

/** Numbers 1…n for the ticket ids by the seed (the order of `ticketIds` does not matter). */
export async function drawNumbers(
  seed: string,
  ticketIds: readonly string[],
): Promise<DrawnTicket[]> {
  const key = await crypto.subtle.importKey(
    'raw',
    bytesOfHex(seed),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const encoder = new TextEncoder();
  const keyed = await Promise.all(
    ticketIds.map(async (ticketId) => ({
      ticketId,
      key: hexOf(await crypto.subtle.sign('HMAC', key, encoder.encode(ticketId))),
    })),
  );
  keyed.sort((a, b) => compare(a.key, b.key) || compare(a.ticketId, b.ticketId));
  return keyed.map(({ ticketId }, i) => ({ ticketId, number: i + 1 }));
}

/** Checks an audit against the commitment published before the draw. */
export async function checkDraw(audit: QueueAudit, commitment: string): Promise<DrawCheck> {
  const commitmentHolds =
    audit.seedCommitment === commitment && (await seedCommitmentOf(audit.seed)) === commitment;
  const expected = new Map(
    (
      await drawNumbers(
        audit.seed,
        audit.prequeue.map((e) => e.ticketId),
      )
    ).map((e) => [e.ticketId, e.number]),
  );
  const mismatches = audit.prequeue
    .filter((e) => expected.get(e.ticketId) !== e.number)
    .map((e) => ({ ...e, expected: expected.get(e.ticketId) ?? null }));
  const numbers = audit.prequeue.map((e) => e.number).sort((a, b) => a - b);
  const dense = numbers.every((n, i) => n === i + 1);
  const unique = expected.size === audit.prequeue.length;
  return { commitmentHolds, numbersHold: mismatches.length === 0 && dense && unique, mismatches };
}
