import { describe, expect, it } from 'vitest';
import { SpatialIndex, type Direction } from './spatial-index';

/** Rows of seats 10 apart with an aisle (30 wide) after seat 4; row y = 12 × row. */
function hall(rows = 4, perRow = 8) {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < perRow; s++) {
      xs.push(s * 10 + (s >= 4 ? 20 : 0));
      ys.push(r * 12);
    }
  }
  return { xs, ys, at: (r: number, s: number) => r * perRow + s };
}

/** A deterministic pseudo-random sequence. */
function lcg(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

describe('hit-testing', () => {
  const { xs, ys, at } = hall();
  const index = new SpatialIndex(xs, ys);

  it('finds the seat under a point', () => {
    expect(index.nearest(31, 13, 5)).toBe(at(1, 3));
    expect(index.nearest(60, 0, 5)).toBe(at(0, 4));
  });

  it('finds nothing in an aisle or off the map', () => {
    expect(index.nearest(45, 0, 5)).toBe(-1);
    expect(index.nearest(-100, -100, 5)).toBe(-1);
  });

  it('agrees with a brute-force search on random seats', () => {
    const random = lcg(7);
    const rx = Array.from({ length: 5000 }, () => random() * 4000 - 2000);
    const ry = Array.from({ length: 5000 }, () => random() * 3000);
    const big = new SpatialIndex(rx, ry);
    for (let k = 0; k < 300; k++) {
      const x = random() * 4400 - 2200;
      const y = random() * 3400 - 200;
      let best = -1;
      let bestD = 40;
      rx.forEach((sx, i) => {
        const d = Math.hypot(sx - x, (ry[i] ?? 0) - y);
        if (d <= bestD) [best, bestD] = [i, d];
      });
      const found = big.nearest(x, y, 40);
      if (best === -1) expect(found).toBe(-1);
      else expect(Math.hypot((rx[found] ?? 0) - x, (ry[found] ?? 0) - y)).toBeCloseTo(bestD, 9);
    }
  });
});

describe('nearest seat in a direction (keyboard)', () => {
  const { xs, ys, at } = hall();
  const index = new SpatialIndex(xs, ys);
  const move = (r: number, s: number, d: Direction) => index.nearestInDirection(at(r, s), d);

  it('moves along the row and between rows', () => {
    expect(move(1, 1, 'right')).toBe(at(1, 2));
    expect(move(1, 1, 'left')).toBe(at(1, 0));
    expect(move(1, 1, 'down')).toBe(at(2, 1));
    expect(move(1, 1, 'up')).toBe(at(0, 1));
  });

  it('crosses an aisle to the same row rather than a diagonal', () => {
    expect(move(2, 3, 'right')).toBe(at(2, 4));
    expect(move(2, 4, 'left')).toBe(at(2, 3));
  });

  it('stays put at the edge', () => {
    expect(move(0, 0, 'left')).toBe(-1);
    expect(move(0, 0, 'up')).toBe(-1);
    expect(move(3, 7, 'right')).toBe(-1);
    expect(move(3, 7, 'down')).toBe(-1);
  });

  it('finds a far seat when nothing is near', () => {
    const sparse = new SpatialIndex([0, 5000, 10, 10_000], [0, 0, 4000, 0]);
    expect(sparse.nearestInDirection(0, 'right')).toBe(1);
    expect(sparse.nearestInDirection(0, 'down')).toBe(2);
    expect(sparse.nearestAnywhere(9000, 100)).toBe(3);
  });
});

describe('seat pitch', () => {
  it('is the typical distance to the nearest neighbour', () => {
    const { xs, ys } = hall(10, 20);
    expect(new SpatialIndex(xs, ys).typicalSpacing()).toBe(10);
  });

  it('survives degenerate layouts', () => {
    expect(new SpatialIndex([], []).typicalSpacing()).toBe(1);
    expect(new SpatialIndex([5, 5, 5], [1, 1, 1]).nearest(5, 1, 1)).toBeGreaterThanOrEqual(0);
  });
});
