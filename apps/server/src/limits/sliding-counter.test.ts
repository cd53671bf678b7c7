import { describe, expect, it } from 'vitest';
import { SlidingCounter } from './sliding-counter.js';

describe('SlidingCounter', () => {
  it('passes `limit` events in a window and refuses the next', () => {
    let now = 1_000;
    const counter = new SlidingCounter(5, 1_000, () => now);
    for (let i = 0; i < 5; i++) {
      expect(counter.add()).toBe(false);
      now += 100;
    }
    expect(counter.add()).toBe(true);
  });

  it('slides: events older than the window no longer count', () => {
    let now = 0;
    const counter = new SlidingCounter(3, 1_000, () => now);
    for (const at of [0, 400, 800]) {
      now = at;
      expect(counter.add()).toBe(false);
    }
    now = 1_000; // the event at 0 has left the window
    expect(counter.add()).toBe(false);
    now = 1_100;
    expect(counter.add()).toBe(true); // 400, 800, 1000, 1100
  });

  it('no burst at a window edge passes twice the limit', () => {
    let now = 0;
    const counter = new SlidingCounter(5, 1_000, () => now);
    const passed = (n: number) =>
      Array.from({ length: n }, () => counter.add()).filter((over) => !over).length;
    now = 999;
    expect(passed(10)).toBe(5);
    now = 1_001;
    expect(passed(10)).toBe(0);
  });
});
