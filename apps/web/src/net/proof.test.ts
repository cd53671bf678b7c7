import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leadingZeroBits, proofBits, proofProgress, searchProof, solveProof } from './proof';

/** The server's check (domain/draw.ts), with Node's own SHA-256. */
function serverBits(eventId: string, sessionId: string, nonce: string): number {
  const digest = createHash('sha256').update(`${eventId}:${sessionId}:${nonce}`, 'utf8').digest();
  return leadingZeroBits(digest);
}

describe('proof of work', () => {
  it('counts leading zero bits', () => {
    expect(leadingZeroBits(new Uint8Array([0x80]))).toBe(0);
    expect(leadingZeroBits(new Uint8Array([0x01]))).toBe(7);
    expect(leadingZeroBits(new Uint8Array([0, 0, 0x10]))).toBe(19);
    expect(leadingZeroBits(new Uint8Array([0, 0]))).toBe(16);
  });

  it('finds a nonce the server accepts, for this session only', () => {
    const task = { eventId: 'arena-demo', sessionId: 'session-1', bits: 12 };
    const nonce = solveProof(task);
    expect(nonce).toMatch(/^[\x21-\x7E]+$/);
    expect(serverBits(task.eventId, task.sessionId, nonce)).toBeGreaterThanOrEqual(12);
    expect(proofBits(task.eventId, task.sessionId, nonce)).toBe(
      serverBits(task.eventId, task.sessionId, nonce),
    );
    // Multibyte text is hashed as UTF-8, as the server does.
    expect(proofBits('été', 'sé', 'x')).toBe(serverBits('été', 'sé', 'x'));
  });

  it('searches in slices that resume where the last one stopped', () => {
    const task = { eventId: 'e', sessionId: 's', bits: 10 };
    const whole = solveProof(task);
    let found: string | null = null;
    for (let from = 0; found === null; from += 100) found = searchProof(task, from, 100);
    expect(found).toBe(whole);
    expect(searchProof({ ...task, bits: 0 }, 5, 1)).toBe('5');
  });

  it('reports a progress that grows towards 1 and never reaches it', () => {
    expect(proofProgress(0, 16)).toBe(0);
    const half = proofProgress(Math.round(2 ** 16 * Math.LN2), 16);
    expect(half).toBeCloseTo(0.5, 3);
    expect(proofProgress(2 ** 20, 16)).toBeLessThan(1);
    expect(proofProgress(2 ** 17, 16)).toBeGreaterThan(proofProgress(2 ** 16, 16));
  });
});
