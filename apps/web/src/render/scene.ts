// Everything the renderer derives once per venue: the spatial index, the seat pitch and drawn
// radius, the category colours, and scratch buffers reused by every frame.
import type { Bounds, Venue } from '../state/venue';
import { SpatialIndex } from './spatial-index';
import { blendPalette, discMask, type DiscMask } from './pixels';
import { categoryColor, COLORS, inkOn } from './theme';
import { Status } from '../state/live';
import { seatFill } from './glyphs';
import { buildLabels, type Labels } from './labels';

/** Seats are drawn this fraction of the pitch in radius (a gap of a fifth between neighbours). */
const RADIUS_OF_PITCH = 0.4;

export interface Scene {
  venue: Venue;
  index: SpatialIndex;
  /** Typical distance between neighbouring seats, in world units. */
  spacing: number;
  /** Drawn seat radius, in world units. */
  radius: number;
  /** Seats, stage and the seats' radius. */
  bounds: Bounds;
  /** Colour of each price category (index of Venue.categories). */
  categoryColors: string[];
  /** The colour of a seat number on an available seat, by category. */
  numberInks: string[];
  /** Colour of each seat's category, by seat: what an available seat is filled with. */
  seatCategory: Uint16Array;
  /** Section names, row letters and section bounds. */
  labels: Labels;
  /** Each layer's colour blended over the background at every coverage level (pixel path). */
  palette: Uint32Array;
  scratch: {
    visible: Int32Array;
    order: Int32Array;
    bucketStart: Int32Array;
    /** The disc mask of the last radius drawn by the pixel path. */
    mask: DiscMask | null;
    maskRadius: number;
  };
}

export function buildScene(venue: Venue): Scene {
  const index = new SpatialIndex(venue.xs, venue.ys);
  const spacing = index.typicalSpacing();
  const radius = spacing * RADIUS_OF_PITCH;
  const seatCategory = new Uint16Array(venue.count);
  for (let i = 0; i < venue.count; i++) {
    seatCategory[i] = venue.sections[venue.sectionOf[i] ?? 0]?.category ?? 0;
  }
  const { bounds: b } = venue;
  const categoryColors = venue.categories.map((_, i) => categoryColor(i));
  const layerColors = [
    ...[Status.HeldByMe, Status.Held, Status.Sold, Status.SoldToMe].map((s) => seatFill(s, '')),
    ...categoryColors,
  ];
  return {
    venue,
    index,
    spacing,
    radius,
    bounds: {
      minX: b.minX - radius,
      minY: b.minY - radius,
      maxX: b.maxX + radius,
      maxY: b.maxY + radius,
    },
    categoryColors,
    numberInks: categoryColors.map(inkOn),
    seatCategory,
    labels: buildLabels(venue, spacing),
    palette: blendPalette(layerColors, COLORS.background),
    scratch: {
      visible: new Int32Array(venue.count),
      order: new Int32Array(venue.count),
      bucketStart: new Int32Array(STATUS_BUCKETS + venue.categories.length + 1),
      mask: null,
      maskRadius: 0,
    },
  };
}

/** Buckets 0..3 are the non-available statuses (display status − 1), then one per category. */
export const STATUS_BUCKETS = 4;

/** The disc mask for a radius in device pixels, reused while the zoom does not change. */
export function maskFor(scene: Scene, radiusPx: number): DiscMask {
  const { scratch } = scene;
  if (scratch.mask === null || scratch.maskRadius !== radiusPx) {
    scratch.mask = discMask(radiusPx);
    scratch.maskRadius = radiusPx;
  }
  return scratch.mask;
}
