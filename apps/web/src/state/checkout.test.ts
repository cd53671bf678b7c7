import { describe, expect, it } from 'vitest';
import { attemptFor, keepAttemptAfter } from './checkout';

function keys() {
  let n = 0;
  return () => `key-${++n}`;
}

describe('checkout attempts', () => {
  it('reuses the key for a retry of the same seats, in any order', () => {
    const newKey = keys();
    const first = attemptFor(null, ['B1', 'A1'], newKey);
    expect(first).toEqual({ key: 'key-1', seatIds: ['A1', 'B1'] });
    expect(attemptFor(first, ['A1', 'B1'], newKey)).toBe(first);
  });

  it('makes a new key when the seats change', () => {
    const newKey = keys();
    const first = attemptFor(null, ['A1', 'B1'], newKey);
    expect(attemptFor(first, ['A1'], newKey).key).toBe('key-2');
    expect(attemptFor(first, ['A1', 'B1', 'C1'], newKey).key).toBe('key-3');
  });

  it('keeps the attempt when the outcome is unknown or worth retrying', () => {
    expect(keepAttemptAfter({ status: null })).toBe(true);
    expect(keepAttemptAfter({ status: 503 })).toBe(true);
    expect(keepAttemptAfter({ status: 500 })).toBe(true);
    expect(keepAttemptAfter({ status: 429 })).toBe(true);
    expect(keepAttemptAfter({ status: 409 })).toBe(false);
    expect(keepAttemptAfter({ status: 409, code: 'SEAT_NOT_HELD' })).toBe(false);
    expect(keepAttemptAfter({ status: 409, code: 'CHECKOUT_IN_PROGRESS' })).toBe(true);
    expect(keepAttemptAfter({ status: 422 })).toBe(false);
  });
});
