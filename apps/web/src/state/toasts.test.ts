import { describe, expect, it } from 'vitest';
import { TOAST_MS, dropErrors, dropToasts, pushToast } from './toasts';

describe('toasts', () => {
  it('drops the errors and keeps the rest', () => {
    let list = pushToast([], { id: 1, message: 'Network down', tone: 'error' }, 0);
    list = pushToast(list, { id: 2, message: 'Seat released', tone: 'info' }, 0);
    expect(dropErrors(list).map((t) => t.id)).toEqual([2]);
  });

  it('returns the same list when there is no error, so nothing re-renders', () => {
    const list = pushToast([], { id: 1, message: 'Bought', tone: 'success' }, 0);
    expect(dropErrors(list)).toBe(list);
  });

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
