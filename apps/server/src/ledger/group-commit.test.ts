import { describe, expect, it } from 'vitest';
import { GroupCommit, type WriteBatch } from './group-commit.js';

interface Deferred {
  items: number[];
  finish(results?: Array<PromiseSettledResult<number>>): void;
  fail(error: unknown): void;
}

/** A writer whose batches end when the test says so. */
function manualWriter(): { write: WriteBatch<number, number>; calls: Deferred[] } {
  const calls: Deferred[] = [];
  const write: WriteBatch<number, number> = (items) =>
    new Promise((resolve, reject) => {
      calls.push({
        items,
        finish: (results) =>
          resolve(results ?? items.map((item) => ({ status: 'fulfilled', value: item * 10 }))),
        fail: reject,
      });
    });
  return { write, calls };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes a lone item at once, and what queued meanwhile as one batch', async () => {
    const { write, calls } = manualWriter();
    const group = new GroupCommit(write, { maxBatch: 64, maxInFlight: 1 });
    const first = group.submit(1);
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    const rest = [2, 3, 4].map((item) => group.submit(item));
    expect(calls).toHaveLength(1);
    expect(group.queued).toBe(3);
    calls[0]?.finish();
    expect(await first).toBe(10);
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
    calls[1]?.finish();
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(group.queued).toBe(0);
  });

  it('bounds a batch, and the writes in flight', async () => {
    const { write, calls } = manualWriter();
    const group = new GroupCommit(write, { maxBatch: 2, maxInFlight: 2 });
    const all = [1, 2, 3, 4, 5, 6].map((item) => group.submit(item));
    // 1 and 2 each find a free slot; 3 to 6 wait for one.
    expect(calls.map((c) => c.items)).toEqual([[1], [2]]);
    expect(group.queued).toBe(4);
    calls[0]?.finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3, 4]]);
    calls[1]?.finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3, 4], [5, 6]]);
    calls[2]?.finish();
    calls[3]?.finish();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('gives each item its own result, and a failed batch to all of its items', async () => {
    const { write, calls } = manualWriter();
    const group = new GroupCommit(write, { maxBatch: 8, maxInFlight: 1 });
    const first = group.submit(1);
    const second = group.submit(2);
    const third = group.submit(3);
    calls[0]?.fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await tick();
    calls[1]?.finish([
      { status: 'fulfilled', value: 20 },
      { status: 'rejected', reason: new Error('refused') },
    ]);
    expect(await second).toBe(20);
    await expect(third).rejects.toThrow('refused');
    // The failures freed the slot: the next item goes out at once.
    void group.submit(4);
    expect(calls.at(-1)?.items).toEqual([4]);
  });

  it('refuses a bound below 1', () => {
    const { write } = manualWriter();
    expect(() => new GroupCommit(write, { maxBatch: 0, maxInFlight: 1 })).toThrow(RangeError);
  });
});
