import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogThrottle } from './log-throttle.js';

describe('LogThrottle', () => {
  const lines: { fields: Record<string, unknown>; message: string }[] = [];
  let throttle: LogThrottle;
  beforeEach(() => {
    vi.useFakeTimers();
    lines.length = 0;
    throttle = new LogThrottle((fields, message) => lines.push({ fields, message }), 1_000);
  });
  afterEach(() => vi.useRealTimers());

  it('writes the first line of a reason, then one count per interval', () => {
    for (let i = 0; i < 500; i++) throttle.log('too_large', { address: `10.0.0.${i % 9}` }, 'big');
    expect(lines).toEqual([
      { fields: { reason: 'too_large', address: '10.0.0.0' }, message: 'big' },
    ]);
    vi.advanceTimersByTime(1_000);
    expect(lines[1]).toEqual({
      fields: { reason: 'too_large', suppressed: 499 },
      message: 'big (499 more in 1000 ms)',
    });
    // The count opened a window: what comes in it is counted, not written.
    throttle.log('too_large', {}, 'big');
    expect(lines).toHaveLength(2);
    vi.advanceTimersByTime(1_000);
    expect(lines[2]?.fields).toEqual({ reason: 'too_large', suppressed: 1 });
    // A quiet interval ends it: the next line is written at once.
    vi.advanceTimersByTime(1_000);
    throttle.log('too_large', {}, 'big');
    expect(lines).toHaveLength(4);
    expect(lines[3]?.fields).toEqual({ reason: 'too_large' });
  });

  it('throttles each reason apart', () => {
    throttle.log('a', {}, 'a');
    throttle.log('b', {}, 'b');
    throttle.log('a', {}, 'a');
    expect(lines.map((l) => l.message)).toEqual(['a', 'b']);
  });

  it('flush writes the pending counts', () => {
    throttle.log('a', {}, 'a');
    throttle.log('a', {}, 'a');
    throttle.log('b', {}, 'b');
    throttle.flush();
    expect(lines.map((l) => l.message)).toEqual(['a', 'b', 'a (1 more in 1000 ms)']);
    vi.advanceTimersByTime(5_000);
    expect(lines).toHaveLength(3);
  });
});
