import { describe, expect, it } from 'vitest';
import { ensureVisible, fitView, scaleLimits, toScreen, toWorld, zoomAt } from './view';

const bounds = { minX: 0, minY: 0, maxX: 1000, maxY: 500 };
const size = { width: 848, height: 648 };

describe('view transform', () => {
  it('fits the venue, centred, inside the padding', () => {
    const view = fitView(bounds, size, 24);
    expect(view.scale).toBeCloseTo(0.8);
    expect(toScreen(view, 0, 0).x).toBeCloseTo(24);
    expect(toScreen(view, 500, 250)).toEqual({ x: 424, y: 324 });
  });

  it('zooms about a point, which stays put', () => {
    const view = fitView(bounds, size);
    const limits = scaleLimits(view, 5);
    const before = toWorld(view, 300, 200);
    const zoomed = zoomAt(view, 2, 300, 200, limits);
    expect(zoomed.scale).toBeCloseTo(view.scale * 2);
    const after = toWorld(zoomed, 300, 200);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });

  it('clamps the zoom', () => {
    const view = fitView(bounds, size);
    const limits = scaleLimits(view, 5);
    expect(zoomAt(view, 1e-6, 0, 0, limits).scale).toBe(limits.min);
    expect(zoomAt(view, 1e6, 0, 0, limits).scale).toBe(limits.max);
  });

  it('pans just enough to bring a point into view', () => {
    const view = { scale: 1, offsetX: 0, offsetY: 0 };
    expect(ensureVisible(view, size, 100, 100, 20)).toBe(view);
    const moved = ensureVisible(view, size, 900, -50, 20);
    expect(toScreen(moved, 900, -50)).toEqual({ x: 828, y: 20 });
  });
});
