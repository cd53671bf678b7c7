import { describe, expect, it } from 'vitest';
import { restartDelay } from './primary.js';

describe('restartDelay', () => {
  it('replaces a worker that lived long at once', () => {
    expect(restartDelay(8_000, 60_000)).toBe(0);
  });

  it('backs off while workers die young, up to 30 s', () => {
    const delays: number[] = [];
    let delay = 0;
    for (let i = 0; i < 8; i++) delays.push((delay = restartDelay(delay, 1_000)));
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });
});
