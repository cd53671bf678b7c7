import { describe, expect, it } from 'vitest';
import { dropErrors, pushToast } from './toasts';

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
});
