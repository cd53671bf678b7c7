// The fast path for small seats: anti-aliased discs stamped straight into a 32-bit pixel buffer,
// then put on the canvas at once. A vector path of 100,000 discs costs the rasteriser hundreds of
// milliseconds in software; stamping costs a few. Pure: works on a Uint32Array.
import type { View } from './view';

/** Coverage is quantised to this many levels (plus zero). */
export const LEVELS = 16;

export interface PixelTarget {
  /** RGBA bytes of an ImageData, viewed as one 32-bit word per pixel. */
  pixels: Uint32Array;
  /** Device pixels. */
  width: number;
  height: number;
}

/** Per-pixel coverage of a disc of radius r (device px) centred in a pixel, as 0..LEVELS. */
export interface DiscMask {
  size: number;
  /** Offset of the mask's first column/row from the centre pixel. */
  origin: number;
  levels: Uint8Array;
}

const SUPERSAMPLE = 4;

export function discMask(radius: number): DiscMask {
  const reach = Math.max(0, Math.ceil(radius - 0.5));
  const size = 2 * reach + 1;
  const levels = new Uint8Array(size * size);
  if (radius < 0.5) {
    // Smaller than a pixel: one full pixel; paler would wash the overview out.
    levels[0] = LEVELS;
    return { size: 1, origin: 0, levels };
  }
  const r2 = radius * radius;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let inside = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const dx = px - reach + (sx + 0.5) / SUPERSAMPLE - 0.5;
          const dy = py - reach + (sy + 0.5) / SUPERSAMPLE - 0.5;
          if (dx * dx + dy * dy <= r2) inside++;
        }
      }
      levels[py * size + px] = Math.round((inside / (SUPERSAMPLE * SUPERSAMPLE)) * LEVELS);
    }
  }
  return { size, origin: -reach, levels };
}

/** '#rrggbb' → [r, g, b]. */
export function parseHex(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** An opaque colour as the 32-bit word that lays out as R, G, B, A bytes in memory. */
export function packColor(r: number, g: number, b: number): number {
  return LITTLE_ENDIAN
    ? ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0
    : ((r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
}

/**
 * For each colour, its LEVELS + 1 blends over the background (level 0 is the background):
 * seats never overlap, so a coverage level maps to one final pixel value.
 */
export function blendPalette(colors: readonly string[], background: string): Uint32Array {
  const [br, bg, bb] = parseHex(background);
  const out = new Uint32Array(colors.length * (LEVELS + 1));
  colors.forEach((color, c) => {
    const [r, g, b] = parseHex(color);
    for (let level = 0; level <= LEVELS; level++) {
      const a = level / LEVELS;
      out[c * (LEVELS + 1) + level] = packColor(
        Math.round(br + (r - br) * a),
        Math.round(bg + (g - bg) * a),
        Math.round(bb + (b - bb) * a),
      );
    }
  });
  return out;
}

export interface StampInput {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  view: View;
  dpr: number;
  mask: DiscMask;
  /** Colour index (into palette) of each seat. */
  colorOf: (seat: number) => number;
  palette: Uint32Array;
  background: number;
}

/** Clears the target to the background and stamps every seat in it; returns how many. */
export function stampSeats(target: PixelTarget, input: StampInput): number {
  const { pixels, width, height } = target;
  const { xs, ys, view, dpr, mask, colorOf, palette } = input;
  pixels.fill(input.background);
  const k = view.scale * dpr;
  const ox = view.offsetX * dpr;
  const oy = view.offsetY * dpr;
  const { size, origin, levels } = mask;
  let drawn = 0;
  for (let i = 0; i < xs.length; i++) {
    const cx = Math.floor(ox + xs[i]! * k);
    const cy = Math.floor(oy + ys[i]! * k);
    const left = cx + origin;
    const top = cy + origin;
    if (left + size <= 0 || top + size <= 0 || left >= width || top >= height) continue;
    drawn++;
    const base = colorOf(i) * (LEVELS + 1);
    for (let my = 0; my < size; my++) {
      const y = top + my;
      if (y < 0 || y >= height) continue;
      const row = y * width;
      for (let mx = 0; mx < size; mx++) {
        const level = levels[my * size + mx]!;
        const x = left + mx;
        if (level === 0 || x < 0 || x >= width) continue;
        pixels[row + x] = palette[base + level]!;
      }
    }
  }
  return drawn;
}
