import { describe, expect, it } from 'vitest';
import { retryDelay, RETRY_WINDOW_MS } from './schedule.js';

const mid = () => 0.5;

describe('retryDelay', () => {
  it('follows 5 s, 30 s, 2 min, 10 min, 1 h, 6 h, then 6 h', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelay(n, 0, 1, mid));
    expect(delays).toEqual([5e3, 30e3, 120e3, 600e3, 3_600e3, 21_600e3, 21_600e3, 21_600e3]);
  });

  it('gives up once the next try would pass 3 days', () => {
    expect(retryDelay(9, RETRY_WINDOW_MS - 21_600e3, 1, mid)).toBe(21_600e3);
    expect(retryDelay(9, RETRY_WINDOW_MS - 21_599e3, 1, mid)).toBeNull();
  });

  it('scales the schedule and its window', () => {
    expect(retryDelay(1, 0, 0.01, mid)).toBe(50);
    expect(retryDelay(2, RETRY_WINDOW_MS * 0.01, 0.01, mid)).toBeNull();
  });

  it('jitters by at most 10%', () => {
    expect(retryDelay(1, 0, 1, () => 0)).toBe(4_500);
    expect(retryDelay(1, 0, 1, () => 1)).toBe(5_500);
  });
});
