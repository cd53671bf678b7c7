// The in-process queue store: the shared contract, and exact clock behaviour.
import { describe, expect, it } from 'vitest';
import { MemoryQueueStore } from '../../src/queue/memory-store.js';
import { queueStoreContract } from './contract.js';

queueStoreContract('memory', async () => {
  const store = new MemoryQueueStore();
  return { store, twin: store, close: () => store.close() };
});

describe('MemoryQueueStore on its own clock', () => {
  it('admits exactly the rate over simulated time', async () => {
    const clock = { now: 1_000_000 };
    const store = new MemoryQueueStore(() => clock.now);
    const settings = {
      opensAt: 0,
      salesStartAt: 1_000_100,
      admitPerMinute: 600,
      admissionSeconds: 60,
      powBits: 0,
    };
    await store.configure('e', settings, '00'.repeat(32));
    for (let i = 0; i < 200; i++) await store.join('e', `s${i}`, `t${i}`, 0);
    clock.now = 1_000_100;
    expect(await store.tick('e', { available: true, soldOut: false })).toMatchObject({
      drew: true,
      servedThrough: 0,
    });
    for (let t = 0; t < 50; t++) {
      clock.now += 200;
      await store.tick('e', { available: true, soldOut: false });
    }
    expect(await store.get('e')).toMatchObject({ queue: { servedThrough: 100 } });
    clock.now += 60_000;
    expect(await store.isAdmitted('e', 's0')).toBe(false);
  });
});
