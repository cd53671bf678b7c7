// Unit and property tests of the expiry min-queue against a plain map model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpiryQueue, compareExpiry, type Expiry } from './expiry-queue.js';

describe('ExpiryQueue', () => {
  it('pops only due seats, earliest first, ties by seat id', () => {
    const queue = new ExpiryQueue();
    queue.set('c', 20);
    queue.set('b', 10);
    queue.set('a', 20);
    queue.set('d', 30);
    expect(queue.popExpired(20, 10)).toEqual([
      { seatId: 'b', expiresAt: 10 },
      { seatId: 'a', expiresAt: 20 },
      { seatId: 'c', expiresAt: 20 },
    ]);
    expect(queue.size).toBe(1);
    expect(queue.popExpired(29, 10)).toEqual([]);
    expect(queue.popExpired(30, 10)).toEqual([{ seatId: 'd', expiresAt: 30 }]);
  });

  it('honours the limit and keeps the rest for later', () => {
    const queue = new ExpiryQueue();
    for (let i = 0; i < 5; i++) queue.set(`s${i}`, 100 - i);
    expect(queue.popExpired(1000, 2).map((e) => e.seatId)).toEqual(['s4', 's3']);
    expect(queue.popExpired(1000, 0)).toEqual([]);
    expect(queue.popExpired(1000, 10).map((e) => e.seatId)).toEqual(['s2', 's1', 's0']);
  });

  it('uses the moved expiry and forgets deleted seats', () => {
    const queue = new ExpiryQueue();
    queue.set('a', 10);
    queue.set('b', 10);
    queue.set('a', 50);
    queue.delete('b');
    expect(queue.popExpired(40, 10)).toEqual([]);
    queue.set('a', 10);
    expect(queue.popExpired(40, 10)).toEqual([{ seatId: 'a', expiresAt: 10 }]);
    // The entries of the first a@10 and of a@50 are stale now and must never surface.
    expect(queue.popExpired(100, 10)).toEqual([]);
    expect(queue.get('a')).toBeUndefined();
  });

  it('compacts stale entries so the heap stays proportional to the live seats', () => {
    const queue = new ExpiryQueue();
    queue.set('keep', 1);
    for (let i = 0; i < 10_000; i++) queue.set('moving', 1000 + i);
    expect(queue.size).toBe(2);
    expect(queue.heapSize).toBeLessThanOrEqual(2 * 2 + 64 + 1);
    expect(queue.popExpired(Number.MAX_SAFE_INTEGER, 10)).toEqual([
      { seatId: 'keep', expiresAt: 1 },
      { seatId: 'moving', expiresAt: 10_999 },
    ]);
  });

  it('agrees with a map model under random operations', () => {
    const seat = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), seat, at: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ kind: fc.constant('delete' as const), seat }),
      fc.record({
        kind: fc.constant('pop' as const),
        now: fc.integer({ min: 0, max: 50 }),
        limit: fc.integer({ min: 0, max: 4 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const queue = new ExpiryQueue();
        const model = new Map<string, number>();
        for (const o of ops) {
          if (o.kind === 'set') {
            queue.set(o.seat, o.at);
            model.set(o.seat, o.at);
          } else if (o.kind === 'delete') {
            queue.delete(o.seat);
            model.delete(o.seat);
          } else {
            const expected: Expiry[] = [...model]
              .map(([seatId, expiresAt]) => ({ seatId, expiresAt }))
              .filter((e) => e.expiresAt <= o.now)
              .sort(compareExpiry)
              .slice(0, o.limit);
            for (const e of expected) model.delete(e.seatId);
            expect(queue.popExpired(o.now, o.limit)).toEqual(expected);
          }
          expect(queue.size).toBe(model.size);
        }
      }),
    );
  });
});
