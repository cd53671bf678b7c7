import { describe, expect, it } from 'vitest';
import { TOAST_MS, dropToasts, pushToast } from './toasts';

describe('toasts', () => {
  it('drops a passing message after a while, keeps a sticky one until dismissed', () => {
    const now = 1_000;
    let toasts = pushToast([], { id: 1, message: 'passing', tone: 'info' }, now);
    toasts = pushToast(toasts, { id: 2, message: 'expired', tone: 'info', sticky: true }, now);
    expect(toasts.map((t) => t.message)).toEqual(['passing', 'expired']);
    const later = dropToasts(toasts, now + TOAST_MS + 60 * 60_000);
    expect(later.map((t) => t.message)).toEqual(['expired']);
    expect(later[0]).not.toHaveProperty('sticky');
  });
});
