import { describe, expect, it } from 'vitest';
import { leadingZeroBits, proofBits, proofProgress, searchProof, solveProof } from './proof';

/** The server's check (domain/draw.ts), with the platform's own SHA-256 (Web Crypto). */
async function serverBits(eventId: string, sessionId: string, nonce: string): Promise<number> {
  const text = new TextEncoder().encode(`${eventId}:${sessionId}:${nonce}`);
  return leadingZeroBits(new Uint8Array(await crypto.subtle.digest('SHA-256', text)));
}

describe('proof of work', () => {
  it('counts leading zero bits', () => {
    expect(leadingZeroBits(new Uint8Array([0x80]))).toBe(0);
    expect(leadingZeroBits(new Uint8Array([0x01]))).toBe(7);
    expect(leadingZeroBits(new Uint8Array([0, 0, 0x10]))).toBe(19);
    expect(leadingZeroBits(new Uint8Array([0, 0]))).toBe(16);
  });

  it('finds a nonce the server accepts', async () => {
    const task = { eventId: 'arena-demo', sessionId: 'session-1', bits: 12 };
    const nonce = solveProof(task);
    expect(nonce).toMatch(/^[\x21-\x7E]+$/);
    const bits = await serverBits(task.eventId, task.sessionId, nonce);
    expect(bits).toBeGreaterThanOrEqual(12);
    expect(proofBits(task.eventId, task.sessionId, nonce)).toBe(bits);
    // Another session's id does not carry the proof (the odds of it holding are 2^-12).
    expect(await serverBits(task.eventId, 'session-2', nonce)).toBeLessThan(12);
    // Multibyte text is hashed as UTF-8, as the server does.
    for (const nonce of ['x', 'y', 'z']) {
      expect(proofBits('été', 'sé', nonce)).toBe(await serverBits('été', 'sé', nonce));
    }
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
