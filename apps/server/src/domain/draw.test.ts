import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  draw,
  drawKey,
  leadingZeroBits,
  proofHolds,
  seedCommitment,
  solveProof,
  verifyDraw,
} from './draw.js';

/** Fixed seeds, so the test is the same on every run. */
const seeds = Array.from({ length: 8 }, (_, i) =>
  createHash('sha256').update(`draw-test-seed-${i}`).digest(),
);

/** Ticket ids as a store mints them: unrelated to the join order. */
const tickets = (count: number, salt: string) =>
  Array.from({ length: count }, (_, i) =>
    createHash('sha256').update(`${salt}:${i}`).digest('hex').slice(0, 32),
  );

/** Spearman's rank correlation of two rankings of the same n items (no ties). */
function spearman(a: number[], b: number[]): number {
  const n = a.length;
  const d2 = a.reduce((sum, x, i) => sum + (x - (b[i] ?? 0)) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

describe('draw', () => {
  it('numbers 500 entries joined in order 1..500, uncorrelated with the join order', () => {
    for (const [run, seed] of seeds.entries()) {
      const joined = tickets(500, `run-${run}`);
      const numbers = new Map(draw(seed, joined).map((e) => [e.ticketId, e.number]));
      const drawn = joined.map((id) => numbers.get(id) ?? 0);
      expect([...drawn].sort((x, y) => x - y)).toEqual(joined.map((_, i) => i + 1));
      const rho = spearman(
        joined.map((_, i) => i + 1),
        drawn,
      );
      expect(Math.abs(rho), `seed ${run}`).toBeLessThan(0.15);
    }
  });

  it('is recomputable from the revealed seed alone, whatever order the ids come in', () => {
    const [seed = Buffer.alloc(32)] = seeds;
    const ids = tickets(50, 'audit');
    const published = draw(seed, ids);
    expect(draw(seed, [...ids].reverse())).toEqual(published);
    expect(verifyDraw(seed, published)).toBe(true);
    const swapped = published.map((e, i) =>
      i < 2 ? { ...e, number: (published[1 - i] ?? e).number } : e,
    );
    expect(verifyDraw(seed, swapped)).toBe(false);
    expect(verifyDraw(seeds[1] ?? seed, published)).toBe(false);
  });

  it('orders by the lowercase hex HMAC-SHA256 of the ticket id', () => {
    const seed = Buffer.from('00'.repeat(32), 'hex');
    const keys = ['a', 'b', 'c'].map((id) => ({ id, key: drawKey(seed, id) }));
    const expected = [...keys].sort((x, y) => (x.key < y.key ? -1 : 1)).map((k) => k.id);
    expect(draw(seed, ['a', 'b', 'c']).map((e) => e.ticketId)).toEqual(expected);
    expect(drawKey(seed, 'a')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('commits to the seed with its SHA-256', () => {
    const seed = Buffer.from('abc');
    expect(seedCommitment(seed)).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('proof of work', () => {
  it('counts leading zero bits', () => {
    expect(leadingZeroBits(Buffer.from([0x00, 0x00, 0x80]))).toBe(16);
    expect(leadingZeroBits(Buffer.from([0x00, 0x1f]))).toBe(11);
    expect(leadingZeroBits(Buffer.from([0xff]))).toBe(0);
    expect(leadingZeroBits(Buffer.from([0, 0]))).toBe(16);
  });

  it('accepts a solved nonce and refuses a missing or wrong one', () => {
    const nonce = solveProof('ev', 'sess', 12);
    const digest = createHash('sha256').update(`ev:sess:${nonce}`).digest();
    expect(leadingZeroBits(digest)).toBeGreaterThanOrEqual(12);
    expect(proofHolds('ev', 'sess', nonce, 12)).toBe(true);
    expect(proofHolds('ev', 'other', nonce, 12)).toBe(false);
    expect(proofHolds('ev', 'sess', undefined, 12)).toBe(false);
    expect(proofHolds('ev', 'sess', undefined, 0)).toBe(true);
  });
});
