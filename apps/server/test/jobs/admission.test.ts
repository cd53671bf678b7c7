// The admission pass: one event's failing tick is logged and the other lines go on. The fault is
// injected on every pass (a store whose tick throws for one event, as a script error would).
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/events/catalog.js';
import type { ReadyHoldStore } from '../../src/holds/self-healing.js';
import { admit } from '../../src/jobs/admission.js';
import { MemoryQueueStore } from '../../src/queue/memory-store.js';
import type { Inventory, TickOutcome } from '../../src/queue/types.js';

class FailingFor extends MemoryQueueStore {
  failures = 0;
  constructor(
    private readonly broken: string,
    now: () => number,
  ) {
    super(now);
  }
  override tick(eventId: string, inventory: Inventory): Promise<TickOutcome> {
    if (eventId === this.broken) {
      this.failures++;
      return Promise.reject(new Error('script error'));
    }
    return super.tick(eventId, inventory);
  }
}

describe('admission pass', () => {
  it('goes on with the other events when one event fails, and logs that one', async () => {
    const clock = { now: 1_000_000 };
    const store = new FailingFor('broken', () => clock.now);
    const settings = {
      opensAt: 0,
      salesStartAt: clock.now + 100,
      admitPerMinute: 600,
      admissionSeconds: 60,
      powBits: 0,
    };
    const ids = ['first', 'broken', 'last'];
    for (const id of ids) {
      await store.configure(id, settings, '00'.repeat(32));
      for (let i = 0; i < 20; i++) await store.join(id, `s${i}`, `t${i}`, 0);
    }
    // A catalog whose events have 100 seats each, and hold counts saying nothing is sold.
    const catalog = {
      get: (id: string) => Promise.resolve({ index: { seatCount: 100 }, id }),
    } as unknown as Catalog;
    const holds = {
      counts: (eventIds: string[]) =>
        Promise.resolve(new Map(eventIds.map((id) => [id, { sold: 0, held: 0 }]))),
    } as unknown as ReadyHoldStore;
    const warnings: unknown[] = [];
    const log = { warn: (obj: unknown) => warnings.push(obj) };
    const passes = 11;
    clock.now = settings.salesStartAt;
    for (let pass = 0; pass < passes; pass++) {
      await admit(store, holds, catalog, ids, undefined, log as never);
      clock.now += 200;
    }
    // Ten passes of 200 ms after the draw at 600 a minute: 20 admitted on each healthy event.
    expect(await store.get('first')).toMatchObject({ queue: { servedThrough: 20 } });
    expect(await store.get('last')).toMatchObject({ queue: { servedThrough: 20 } });
    expect(store.failures).toBe(passes);
    expect(warnings).toHaveLength(passes);
    expect(warnings[0]).toMatchObject({ event: 'broken' });
    await store.close();
  });
});
