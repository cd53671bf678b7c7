import { describe, expect, it } from 'vitest';
import { allowance, standing } from './admission.js';

describe('allowance', () => {
  it('spreads the rate evenly and carries fractions over', () => {
    let bucket = { tokens: 0, lastTickAt: 0 };
    let admitted = 0;
    for (let t = 200; t <= 10_000; t += 200) {
      const step = allowance(bucket, t, 600, 1_000);
      expect(step.admit).toBeLessThanOrEqual(2);
      admitted += step.admit;
      bucket = step.bucket;
    }
    expect(admitted).toBe(100);
    const slow = allowance({ tokens: 0, lastTickAt: 0 }, 200, 60, 10);
    expect(slow).toEqual({ admit: 0, bucket: { tokens: 0.2, lastTickAt: 200 } });
  });

  it('never accrues more than a second, nor for a tick from the past, nor past the line', () => {
    expect(allowance({ tokens: 0, lastTickAt: 0 }, 60_000, 600, 1_000).admit).toBe(10);
    expect(allowance({ tokens: 0, lastTickAt: 500 }, 100, 600, 1_000)).toEqual({
      admit: 0,
      bucket: { tokens: 0, lastTickAt: 500 },
    });
    expect(allowance({ tokens: 0.5, lastTickAt: 0 }, 1_000, 600, 3)).toEqual({
      admit: 3,
      bucket: { tokens: 0, lastTickAt: 1_000 },
    });
  });
});

describe('standing', () => {
  const base = { admitPerMinute: 60, soldOut: false, servedThrough: 5 };
  it('tells every status', () => {
    expect(standing({ ...base, number: null, admittedUntil: null }, 0).status).toBe('prequeue');
    expect(standing({ ...base, number: 8, admittedUntil: null }, 0)).toEqual({
      status: 'waiting',
      etaSeconds: 3,
    });
    expect(standing({ ...base, number: 5, admittedUntil: 10 }, 9).status).toBe('admitted');
    expect(standing({ ...base, number: 5, admittedUntil: 10 }, 10).status).toBe('expired');
    expect(standing({ ...base, soldOut: true, number: 8, admittedUntil: null }, 0).status).toBe(
      'closed',
    );
    expect(standing({ ...base, soldOut: true, number: 5, admittedUntil: 10 }, 0).status).toBe(
      'admitted',
    );
  });
});
