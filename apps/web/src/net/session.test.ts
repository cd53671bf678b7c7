import { describe, expect, it } from 'vitest';
import { SessionManager } from './session';
import type { KeyValueStorage } from './storage';

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

describe('SessionManager', () => {
  it('mints one session for concurrent callers and keeps it in storage', async () => {
    const storage = memoryStorage();
    let minted = 0;
    const manager = new SessionManager(storage, async () => ({
      sessionId: `s${++minted}`,
      token: `t${minted}`,
    }));
    const tokens = await Promise.all([manager.token(), manager.token(), manager.token()]);
    expect(tokens).toEqual(['t1', 't1', 't1']);
    expect(minted).toBe(1);
    const reloaded = new SessionManager(storage, async () => {
      throw new Error('must not mint again');
    });
    expect(await reloaded.token()).toBe('t1');
  });

  it('renews a refused token once, however many callers saw it refused', async () => {
    const storage = memoryStorage();
    let minted = 0;
    const manager = new SessionManager(storage, async () => ({
      sessionId: `s${++minted}`,
      token: `t${minted}`,
    }));
    const stale = await manager.token();
    const renewed = await Promise.all([manager.renew(stale), manager.renew(stale)]);
    expect(renewed).toEqual(['t2', 't2']);
    expect(await manager.renew(stale)).toBe('t2');
    expect(minted).toBe(2);
  });
});
