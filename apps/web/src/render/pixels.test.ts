import { describe, expect, it } from 'vitest';
import { blendPalette, discMask, LEVELS, packColor, stampSeats } from './pixels';

describe('disc mask', () => {
  it('covers about the area of the disc, symmetrically', () => {
    const mask = discMask(3);
    const area = [...mask.levels].reduce((sum, level) => sum + level, 0) / LEVELS;
    expect(area).toBeGreaterThan(Math.PI * 9 * 0.93);
    expect(area).toBeLessThan(Math.PI * 9 * 1.07);
    const { size, levels } = mask;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        expect(levels[y * size + x]).toBe(levels[y * size + (size - 1 - x)]);
        expect(levels[y * size + x]).toBe(levels[x * size + y]);
      }
    }
    expect(levels[Math.floor((size * size) / 2)]).toBe(LEVELS);
  });

  it('keeps a seat smaller than a pixel visible as one pixel', () => {
    const mask = discMask(0.2);
    expect(mask.size).toBe(1);
    expect(mask.levels[0]).toBeGreaterThan(0);
  });
});

describe('stamping seats', () => {
  const background = packColor(255, 255, 255);
  const palette = blendPalette(['#ff0000', '#0000ff'], '#ffffff');

  it('blends each colour over the background by coverage', () => {
    expect(palette[0]).toBe(background);
    expect(palette[LEVELS]).toBe(packColor(255, 0, 0));
    expect(palette[LEVELS + 1 + LEVELS]).toBe(packColor(0, 0, 255));
  });

  it('clears to the background, stamps visible seats in their colour, skips the rest', () => {
    const width = 20;
    const height = 10;
    const pixels = new Uint32Array(width * height).fill(7);
    const drawn = stampSeats(
      { pixels, width, height },
      {
        xs: [2, 15, 100],
        ys: [2, 5, 5],
        view: { scale: 1, offsetX: 0, offsetY: 0 },
        dpr: 1,
        mask: discMask(1.5),
        colorOf: (seat) => seat % 2,
        palette,
        background,
      },
    );
    expect(drawn).toBe(2);
    expect(pixels[2 * width + 2]).toBe(packColor(255, 0, 0));
    expect(pixels[5 * width + 15]).toBe(packColor(0, 0, 255));
    expect(pixels[9 * width + 9]).toBe(background);
    expect(pixels.includes(7)).toBe(false);
  });

  it('clips seats on the edge of the buffer', () => {
    const pixels = new Uint32Array(4 * 4);
    const drawn = stampSeats(
      { pixels, width: 4, height: 4 },
      {
        xs: [0],
        ys: [0],
        view: { scale: 2, offsetX: 0, offsetY: 0 },
        dpr: 1,
        mask: discMask(2),
        colorOf: () => 0,
        palette,
        background,
      },
    );
    expect(drawn).toBe(1);
    expect(pixels[0]).toBe(packColor(255, 0, 0));
  });
});
