// The replicas scenario's derived figures: Redis-core capacity and replicas per Redis shard.
import { describe, expect, it } from 'vitest';
import { shardCapacity, usPerRequest } from './capacity.js';
import { parseCpuLine } from './machine.js';

describe('shardCapacity', () => {
  it('divides a Redis core by what one replica sends it at full CPU', () => {
    const c = shardCapacity({ serverUs: 200, redisUs: 25 });
    expect(c?.redisCoreRps).toBeCloseTo(40_000);
    expect(c?.replicaRpsAtFullCore).toBeCloseTo(5_000);
    expect(c?.replicasPerShard).toBeCloseTo(8);
  });

  it('has no answer without both figures', () => {
    expect(shardCapacity({ serverUs: 200 })).toBeUndefined();
    expect(shardCapacity({ serverUs: 200, redisUs: 0 })).toBeUndefined();
    expect(shardCapacity({ serverUs: Number.NaN, redisUs: 10 })).toBeUndefined();
  });
});

describe('usPerRequest', () => {
  it('turns ms over a run into µs per request', () => {
    expect(usPerRequest(1_500, 10_000)).toBe(150);
    expect(usPerRequest(1_500, 0)).toBeNull();
  });
});

describe('parseCpuLine', () => {
  it('reads busy and total time from the aggregate line of /proc/stat', () => {
    const cpu = parseCpuLine('cpu  600 10 200 1000 50 0 30 10 0 0', 100);
    // busy: user 600 + nice 10 + system 200 + irq 0 + softirq 30 + steal 10 = 850 ticks
    expect(cpu).toEqual({ busyMs: 8_500, totalMs: 19_000 });
  });

  it('refuses a line that is not the aggregate one', () => {
    expect(parseCpuLine('cpu0 1 2 3 4 5 6 7 8', 100)).toBeUndefined();
    expect(parseCpuLine('cpu 1 2 x', 100)).toBeUndefined();
  });
});
