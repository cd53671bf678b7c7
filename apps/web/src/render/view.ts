// The view transform of the map: screen = offset + world × scale, in CSS pixels. Pure math for
// fitting, zooming about a point, panning and keeping a seat in sight.
import type { Bounds } from '../state/venue';

export interface View {
  scale: number;
  offsetX: number;
  offsetY: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface ScaleLimits {
  min: number;
  max: number;
}

/** The whole venue, centred, with `padding` CSS pixels around it. */
export function fitView(bounds: Bounds, size: Size, padding = 24): View {
  const worldW = Math.max(1, bounds.maxX - bounds.minX);
  const worldH = Math.max(1, bounds.maxY - bounds.minY);
  const availW = Math.max(1, size.width - 2 * padding);
  const availH = Math.max(1, size.height - 2 * padding);
  const scale = Math.min(availW / worldW, availH / worldH);
  return {
    scale,
    offsetX: size.width / 2 - ((bounds.minX + bounds.maxX) / 2) * scale,
    offsetY: size.height / 2 - ((bounds.minY + bounds.maxY) / 2) * scale,
  };
}

/** From half the fitted scale to where a seat is `maxSeatPx` pixels across. */
export function scaleLimits(fitted: View, seatRadius: number, maxSeatPx = 64): ScaleLimits {
  const min = fitted.scale * 0.5;
  return { min, max: Math.max(min * 4, maxSeatPx / Math.max(seatRadius * 2, 1e-9)) };
}

/** Zooms by `factor`, keeping the world point under (sx, sy) where it is. */
export function zoomAt(
  view: View,
  factor: number,
  sx: number,
  sy: number,
  limits: ScaleLimits,
): View {
  const scale = Math.min(limits.max, Math.max(limits.min, view.scale * factor));
  const k = scale / view.scale;
  return { scale, offsetX: sx - (sx - view.offsetX) * k, offsetY: sy - (sy - view.offsetY) * k };
}

export function panBy(view: View, dx: number, dy: number): View {
  return { ...view, offsetX: view.offsetX + dx, offsetY: view.offsetY + dy };
}

export function toWorld(view: View, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - view.offsetX) / view.scale, y: (sy - view.offsetY) / view.scale };
}

export function toScreen(view: View, x: number, y: number): { x: number; y: number } {
  return { x: view.offsetX + x * view.scale, y: view.offsetY + y * view.scale };
}

/** Pans the least needed for the world point to be at least `margin` pixels inside the view. */
export function ensureVisible(view: View, size: Size, x: number, y: number, margin: number): View {
  const p = toScreen(view, x, y);
  const m = Math.min(margin, size.width / 2, size.height / 2);
  const dx = p.x < m ? m - p.x : p.x > size.width - m ? size.width - m - p.x : 0;
  const dy = p.y < m ? m - p.y : p.y > size.height - m ? size.height - m - p.y : 0;
  return dx === 0 && dy === 0 ? view : panBy(view, dx, dy);
}

/** `scale`, with the world point (x, y) at the middle of the view. */
export function centredOn(x: number, y: number, scale: number, size: Size): View {
  return { scale, offsetX: size.width / 2 - x * scale, offsetY: size.height / 2 - y * scale };
}

/** The same view at a scale inside the limits, its middle kept where it is. */
export function clampScale(view: View, size: Size, limits: ScaleLimits): View {
  const scale = Math.min(limits.max, Math.max(limits.min, view.scale));
  if (scale === view.scale) return view;
  const middle = toWorld(view, size.width / 2, size.height / 2);
  return centredOn(middle.x, middle.y, scale, size);
}
