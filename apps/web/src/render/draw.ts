// Draws one frame of the seat map: stage, seats layer by layer (one path per colour, so 100,000
// seats cost a few dozen fills), shape marks when seats are big enough, hover and focus rings.
// A pure function of its input onto the given context.
import { Status, type DisplayStatus } from '../state/live';
import { addDisc, drawMarks, seatFill, type EachSeat } from './glyphs';
import { packColor, parseHex, stampSeats } from './pixels';
import { maskFor, STATUS_BUCKETS, type Scene } from './scene';
import { COLORS } from './theme';
import { drawLabels, type StageCue } from './draw-labels';
import type { Size, View } from './view';

/**
 * From this radius (CSS px) seats are vector discs with their shape marks; below it they are
 * stamped into pixels (marks would not be legible, and a vector path of 100,000 seats is slow).
 */
export const MARK_RADIUS_PX = 3.5;

export interface FrameInput {
  scene: Scene;
  /** Display status per seat (state/live fillDisplay). */
  display: Uint8Array;
  view: View;
  size: Size;
  dpr: number;
  hover: number;
  focus: number;
  focusVisible: boolean;
  /** Seats ringed as just picked for the buyer (drawn while the buyer holds them). */
  highlight?: readonly number[];
  /** A device-sized pixel buffer for small seats; without one they are drawn as vectors. */
  image: ImageData | null;
}

export interface FrameStats {
  /** Seats inside the viewport, drawn. */
  drawn: number;
  mode: 'pixels' | 'vector';
  /** Words drawn: section names, row letters, seat numbers; where the stage cue points. */
  sectionLabels: number;
  rowLabels: number;
  seatNumbers: number;
  stageCue: StageCue;
}

/** Layers bottom to top; "held by you" last, its ring may overlap a neighbour. */
const STATUS_LAYERS: readonly DisplayStatus[] = [
  Status.Held,
  Status.Sold,
  Status.SoldToMe,
  Status.HeldByMe,
];

export function drawFrame(ctx: CanvasRenderingContext2D, input: FrameInput): FrameStats {
  const r = input.scene.radius * input.view.scale;
  const image = r < MARK_RADIUS_PX ? input.image : null;
  const seats =
    image !== null ? drawPixelSeats(ctx, input, image, r) : drawVectorSeats(ctx, input, r);
  const { bucketStart } = input.scene.scratch;
  const visible =
    image !== null
      ? null
      : {
          count: seats.drawn,
          from: bucketStart[STATUS_BUCKETS] ?? 0,
          to: bucketStart[STATUS_BUCKETS + input.scene.categoryColors.length] ?? 0,
        };
  const labels = drawLabels(ctx, input.scene, input.view, input.size, r, visible);
  drawRings(ctx, input, r);
  return {
    ...seats,
    sectionLabels: labels.sections,
    rowLabels: labels.rows,
    seatNumbers: labels.numbers,
    stageCue: labels.stageCue,
  };
}

function drawPixelSeats(
  ctx: CanvasRenderingContext2D,
  input: FrameInput,
  image: ImageData,
  r: number,
): SeatStats {
  const { scene, view, dpr, display } = input;
  const [br, bg, bb] = parseHex(COLORS.background);
  const drawn = stampSeats(
    { pixels: new Uint32Array(image.data.buffer), width: image.width, height: image.height },
    {
      xs: scene.venue.xs,
      ys: scene.venue.ys,
      view,
      dpr,
      mask: maskFor(scene, r * dpr),
      colorOf: (seat) => bucketOf(scene, display, seat),
      palette: scene.palette,
      background: packColor(br, bg, bb),
    },
  );
  ctx.putImageData(image, 0, 0);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  drawStage(ctx, scene, view);
  return { drawn, mode: 'pixels' };
}

type SeatStats = Pick<FrameStats, 'drawn' | 'mode'>;

function drawVectorSeats(ctx: CanvasRenderingContext2D, input: FrameInput, r: number): SeatStats {
  const { scene, view, size, dpr } = input;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = COLORS.background;
  ctx.fillRect(0, 0, size.width, size.height);
  drawStage(ctx, scene, view);
  const drawn = sortVisibleSeats(input, r);
  const marks = r >= MARK_RADIUS_PX;
  const layers = [
    ...scene.categoryColors.map((_, c) => ({
      bucket: STATUS_BUCKETS + c,
      status: Status.Available,
    })),
    ...STATUS_LAYERS.map((status) => ({ bucket: status - 1, status })),
  ];
  for (const { bucket, status } of layers) {
    const from = scene.scratch.bucketStart[bucket] ?? 0;
    const to = scene.scratch.bucketStart[bucket + 1] ?? 0;
    if (from === to) continue;
    const each = eachSeatOf(scene, view, from, to);
    const color = seatFill(status, scene.categoryColors[bucket - STATUS_BUCKETS] ?? '#888');
    fillSeats(ctx, each, r, color);
    if (marks) drawMarks(ctx, status, each, r);
  }
  return { drawn, mode: 'vector' };
}

/**
 * Counting sort of the seats in the viewport by layer into scratch.order; bucketStart[b] is where
 * layer b begins. Returns how many seats are visible.
 */
function sortVisibleSeats(input: FrameInput, r: number): number {
  const { scene, view, size, display } = input;
  const { visible, order, bucketStart } = scene.scratch;
  const { xs, ys } = scene.venue;
  const { scale, offsetX, offsetY } = view;
  bucketStart.fill(0);
  const minX = (-r - offsetX) / scale;
  const maxX = (size.width + r - offsetX) / scale;
  const minY = (-r - offsetY) / scale;
  const maxY = (size.height + r - offsetY) / scale;
  let count = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (x < minX || x > maxX || y < minY || y > maxY) continue;
    visible[count++] = i;
    bucketStart[bucketOf(scene, display, i) + 1]! += 1;
  }
  for (let b = 1; b < bucketStart.length; b++) bucketStart[b]! += bucketStart[b - 1]!;
  const next = bucketStart.slice(0, -1);
  for (let k = 0; k < count; k++) {
    const i = visible[k]!;
    order[next[bucketOf(scene, display, i)]!++] = i;
  }
  return count;
}

function bucketOf(scene: Scene, display: Uint8Array, seat: number): number {
  const status = display[seat]!;
  return status === Status.Available ? STATUS_BUCKETS + scene.seatCategory[seat]! : status - 1;
}

function eachSeatOf(scene: Scene, view: View, from: number, to: number): EachSeat {
  const { order } = scene.scratch;
  const { xs, ys } = scene.venue;
  const { scale, offsetX, offsetY } = view;
  return (add) => {
    for (let k = from; k < to; k++) {
      const i = order[k]!;
      add(offsetX + xs[i]! * scale, offsetY + ys[i]! * scale);
    }
  };
}

function fillSeats(ctx: CanvasRenderingContext2D, each: EachSeat, r: number, color: string) {
  ctx.beginPath();
  const radius = Math.max(r, 0.5);
  each((x, y) => addDisc(ctx, x, y, radius));
  ctx.fillStyle = color;
  ctx.fill();
}

function drawStage(ctx: CanvasRenderingContext2D, scene: Scene, view: View): void {
  const { stage } = scene.venue;
  const x = view.offsetX + stage.x * view.scale;
  const y = view.offsetY + stage.y * view.scale;
  const w = stage.width * view.scale;
  const h = stage.height * view.scale;
  ctx.fillStyle = COLORS.stage;
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, Math.min(10, h / 4, w / 4));
  ctx.fill();
  const fontSize = Math.min(28, h * 0.4, w / Math.max(4, stage.label.length));
  if (fontSize < 7) return;
  ctx.fillStyle = COLORS.stageText;
  ctx.font = `600 ${fontSize}px system-ui, -apple-system, "Segoe UI", sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(stage.label.toUpperCase(), x + w / 2, y + h / 2);
}

function drawRings(ctx: CanvasRenderingContext2D, input: FrameInput, r: number): void {
  const { scene, view, hover, focus, focusVisible, highlight = [] } = input;
  const at = (seat: number) => ({
    x: view.offsetX + scene.venue.xs[seat]! * view.scale,
    y: view.offsetY + scene.venue.ys[seat]! * view.scale,
  });
  for (const seat of highlight) {
    if (input.display[seat] !== Status.HeldByMe) continue;
    const p = at(seat);
    // At least a few pixels out, so that the ring shows even on seats drawn as dots.
    const out = Math.max(r + 3, 4);
    ring(ctx, p.x, p.y, out, COLORS.focusHalo, 5);
    ring(ctx, p.x, p.y, out, COLORS.picked, 3);
  }
  if (hover >= 0 && hover !== focus) {
    const p = at(hover);
    ring(ctx, p.x, p.y, r + 2.5, COLORS.hover, 1.5);
  }
  if (focus >= 0 && focusVisible) {
    const p = at(focus);
    ring(ctx, p.x, p.y, r + 4, COLORS.focusHalo, 5);
    ring(ctx, p.x, p.y, r + 4, COLORS.focus, 2.5);
  }
}

function ring(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  r: number,
  color: string,
  w: number,
) {
  ctx.beginPath();
  addDisc(ctx, x, y, r);
  ctx.strokeStyle = color;
  ctx.lineWidth = w;
  ctx.stroke();
}
