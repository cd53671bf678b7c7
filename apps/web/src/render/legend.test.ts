import { describe, expect, it } from 'vitest';
import { smallEvent } from '../testing/fixtures';
import { Status } from '../state/live';
import { buildVenue } from '../state/venue';
import { seatFill } from './glyphs';
import { sectionSwatches } from './legend';
import { buildScene } from './scene';

describe('legend swatches', () => {
  it('lists every section once, in the colour the map fills its available seats with', () => {
    const event = smallEvent();
    event.sections.push({ id: 'box', name: 'Premium Box', price: 25_000, kind: 'seated' });
    const scene = buildScene(buildVenue(event));
    const swatches = sectionSwatches(scene.venue);
    expect(swatches.map((s) => s.id)).toEqual(event.sections.map((s) => s.id));
    for (let seat = 0; seat < scene.venue.count; seat++) {
      const section = scene.venue.sections[scene.venue.sectionOf[seat] ?? -1];
      const drawn = seatFill(
        Status.Available,
        scene.categoryColors[scene.seatCategory[seat] ?? 0] ?? '',
      );
      expect(swatches.find((s) => s.id === section?.id)?.color).toBe(drawn);
    }
  });

  it('gives sections at different prices different colours', () => {
    const event = smallEvent();
    event.sections.push({ id: 'box', name: 'Premium Box', price: 25_000, kind: 'seated' });
    const swatches = sectionSwatches(buildVenue(event));
    const byPrice = new Map(swatches.map((s) => [s.price, s.color]));
    expect(new Set(byPrice.values()).size).toBe(byPrice.size);
  });
});
