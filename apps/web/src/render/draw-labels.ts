// The map's words, drawn over the seats: section names always (kept in sight while a section is),
// row letters from a zoom on, seat numbers inside available seats once they are big enough, and
// a cue at the edge (the stage's own label) pointing back to the stage when it is out of sight.
import type { Scene } from './scene';
import { COLORS } from './theme';
import type { Size, View } from './view';

/** From this seat radius (CSS px) row letters are drawn at both ends of each row. */
export const ROW_LABEL_RADIUS_PX = 4;
/** From this seat radius (CSS px) available seats carry their number. */
export const SEAT_NUMBER_RADIUS_PX = 9;

export type StageCue = '' | 'up' | 'down' | 'left' | 'right';

export interface LabelStats {
  sections: number;
  rows: number;
  numbers: number;
  stageCue: StageCue;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** What the frame sorted (vector frames only): the seats in view, and which carry a number. */
export interface VisibleSeats {
  /** scene.scratch.visible[0..count) are the seats in view. */
  count: number;
  /** scene.scratch.order[from..to) are the available seats in view. */
  from: number;
  to: number;
}

export function drawLabels(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  view: View,
  size: Size,
  r: number,
  visible: VisibleSeats | null,
): LabelStats {
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.lineJoin = 'round';
  const numbers =
    r >= SEAT_NUMBER_RADIUS_PX && visible ? drawNumbers(ctx, scene, view, r, visible) : 0;
  const rows =
    r >= ROW_LABEL_RADIUS_PX && visible ? drawRowLetters(ctx, scene, view, size, r, visible) : 0;
  const cue = drawStageCue(ctx, scene, view, size);
  const sections = drawSectionNames(ctx, scene, view, size, r, cue?.rect ?? null);
  return { sections, rows, numbers, stageCue: cue?.points ?? '' };
}

function haloText(ctx: CanvasRenderingContext2D, text: string, x: number, y: number): void {
  ctx.strokeStyle = COLORS.background;
  ctx.lineWidth = 3;
  ctx.strokeText(text, x, y);
  ctx.fillText(text, x, y);
}

function drawSectionNames(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  view: View,
  size: Size,
  r: number,
  cue: Rect | null,
): number {
  const fontSize = r >= ROW_LABEL_RADIUS_PX ? 14 : 12;
  ctx.font = `700 ${fontSize}px ${FONT}`;
  ctx.fillStyle = COLORS.label;
  const taken: Rect[] = cue === null ? [] : [cue];
  let drawn = 0;
  for (const label of scene.labels.sections) {
    const b = label.bounds;
    const x0 = view.offsetX + b.minX * view.scale;
    const x1 = view.offsetX + b.maxX * view.scale;
    const y1 = view.offsetY + b.maxY * view.scale;
    if (x1 < 0 || x0 > size.width || y1 < 0) continue;
    const width = ctx.measureText(label.text).width;
    let x = view.offsetX + label.x * view.scale;
    let y = view.offsetY + label.y * view.scale;
    if (y > size.height + fontSize) continue;
    // While the section is in sight, so is its name: pinned inside the visible part.
    const left = Math.max(x0, 0) + width / 2 + 4;
    const right = Math.min(x1, size.width) - width / 2 - 4;
    if (left <= right) x = Math.min(Math.max(x, left), right);
    y = Math.min(Math.max(y, fontSize), Math.max(fontSize, y1));
    let rect = box(x, y, width, fontSize);
    // A name pinned under the stage cue moves below it.
    if (cue !== null && overlaps(cue, rect) && y <= cue.y1) {
      y = cue.y1 + fontSize / 2 + 4;
      rect = box(x, y, width, fontSize);
    }
    if (taken.some((t) => overlaps(t, rect))) continue;
    taken.push(rect);
    haloText(ctx, label.text, x, y);
    drawn++;
  }
  return drawn;
}

/**
 * Each row's letter beyond its ends; a row in view whose ends are both out of sight gets its
 * letter at the left edge of the map instead, beside its leftmost seat in view.
 */
function drawRowLetters(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  view: View,
  size: Size,
  r: number,
  visible: VisibleSeats,
): number {
  const { labels } = scene;
  const fontSize = Math.min(14, Math.max(9, r * 1.1));
  ctx.font = `600 ${fontSize}px ${FONT}`;
  ctx.fillStyle = COLORS.rowLabel;
  const lettered = new Uint8Array(labels.rowTexts.length);
  let drawn = 0;
  for (const label of labels.rows) {
    const x = view.offsetX + label.x * view.scale;
    const y = view.offsetY + label.y * view.scale;
    if (x < fontSize || x > size.width - fontSize || y < -fontSize || y > size.height + fontSize)
      continue;
    ctx.fillText(label.text, x, y);
    lettered[label.row] = 1;
    drawn++;
  }
  // The leftmost seat in view of every row still without a letter.
  const leftmost = new Map<number, number>();
  const { xs } = scene.venue;
  for (let k = 0; k < visible.count; k++) {
    const seat = scene.scratch.visible[k]!;
    const row = labels.rowOf[seat]!;
    if (lettered[row] === 1) continue;
    const known = leftmost.get(row);
    if (known === undefined || xs[seat]! < xs[known]!) leftmost.set(row, seat);
  }
  if (leftmost.size === 0) return drawn;
  const { ys } = scene.venue;
  for (const [row, seat] of leftmost) {
    const y = view.offsetY + ys[seat]! * view.scale;
    if (y < 0 || y > size.height) continue;
    const text = labels.rowTexts[row] ?? '';
    const width = Math.max(fontSize + 6, ctx.measureText(text).width + 8);
    ctx.fillStyle = COLORS.rowPin;
    ctx.beginPath();
    ctx.roundRect(2, y - fontSize / 2 - 2, width, fontSize + 4, 4);
    ctx.fill();
    ctx.fillStyle = COLORS.rowPinText;
    ctx.fillText(text, 2 + width / 2, y + 0.5);
    drawn++;
  }
  return drawn;
}

function drawNumbers(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  view: View,
  r: number,
  { from, to }: VisibleSeats,
): number {
  const { order } = scene.scratch;
  const { xs, ys, numbers } = scene.venue;
  ctx.font = `600 ${Math.min(16, r * 0.85)}px ${FONT}`;
  for (let k = from; k < to; k++) {
    const i = order[k]!;
    ctx.fillStyle = scene.numberInks[scene.seatCategory[i]!] ?? '#111827';
    ctx.fillText(
      String(numbers[i]),
      view.offsetX + xs[i]! * view.scale,
      view.offsetY + ys[i]! * view.scale + 0.5,
    );
  }
  return to - from;
}

function box(x: number, y: number, width: number, height: number): Rect {
  return { x0: x - width / 2 - 2, y0: y - height / 2, x1: x + width / 2 + 2, y1: y + height / 2 };
}

/**
 * When the stage is out of sight, a "Stage" chip at the edge of the map, on the way to it: where
 * it points, and the room it takes.
 */
function drawStageCue(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  view: View,
  size: Size,
): { points: Exclude<StageCue, ''>; rect: Rect } | null {
  const { stage } = scene.venue;
  const x0 = view.offsetX + stage.x * view.scale;
  const y0 = view.offsetY + stage.y * view.scale;
  const x1 = x0 + stage.width * view.scale;
  const y1 = y0 + stage.height * view.scale;
  if (x1 > 0 && x0 < size.width && y1 > 0 && y0 < size.height) return null;
  const mx = size.width / 2;
  const my = size.height / 2;
  const dx = (x0 + x1) / 2 - mx;
  const dy = (y0 + y1) / 2 - my;
  const inset = 26;
  const t = Math.min(
    dx === 0 ? Infinity : Math.abs((mx - inset) / dx),
    dy === 0 ? Infinity : Math.abs((my - inset) / dy),
  );
  const px = mx + dx * t;
  const py = my + dy * t;
  const angle = Math.atan2(dy, dx);

  ctx.font = `700 12px ${FONT}`;
  const text = (stage.label || 'Stage').toUpperCase();
  const width = ctx.measureText(text).width + 30;
  const cx = Math.min(Math.max(px, width / 2 + 4), size.width - width / 2 - 4);
  const cy = Math.min(Math.max(py, 16), size.height - 16);
  ctx.fillStyle = COLORS.stage;
  ctx.beginPath();
  ctx.roundRect(cx - width / 2, cy - 12, width, 24, 12);
  ctx.fill();
  // The arrow, at the chip's left, turned towards the stage.
  ctx.save();
  ctx.translate(cx - width / 2 + 12, cy);
  ctx.rotate(angle);
  ctx.beginPath();
  ctx.moveTo(5, 0);
  ctx.lineTo(-3, -4.5);
  ctx.lineTo(-3, 4.5);
  ctx.closePath();
  ctx.fillStyle = COLORS.stageText;
  ctx.fill();
  ctx.restore();
  ctx.fillStyle = COLORS.stageText;
  ctx.fillText(text, cx + 7, cy + 0.5);
  const rect = { x0: cx - width / 2, y0: cy - 12, x1: cx + width / 2, y1: cy + 12 };
  if (Math.abs(dx) > Math.abs(dy)) return { points: dx > 0 ? 'right' : 'left', rect };
  return { points: dy > 0 ? 'down' : 'up', rect };
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}
