import { describe, expect, it } from 'vitest';
import { buyerConnection, recovered } from './connection';

describe('buyer connection', () => {
  it('is offline whenever the browser is, even with a socket not yet seen closed', () => {
    expect(buyerConnection('live', false)).toBe('offline');
    expect(buyerConnection('reconnecting', false)).toBe('offline');
    expect(buyerConnection('connecting', false)).toBe('offline');
  });

  it('follows the socket while online, and stays outdated offline', () => {
    expect(buyerConnection('live', true)).toBe('live');
    expect(buyerConnection('reconnecting', true)).toBe('reconnecting');
    expect(buyerConnection('outdated', false)).toBe('outdated');
  });

  it('has recovered only when live again after a drop, not on the first connection', () => {
    expect(recovered('offline', 'live')).toBe(true);
    expect(recovered('reconnecting', 'live')).toBe(true);
    expect(recovered('connecting', 'live')).toBe(false);
    expect(recovered('live', 'live')).toBe(false);
    expect(recovered('offline', 'reconnecting')).toBe(false);
  });
});
