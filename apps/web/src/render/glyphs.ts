// The marks that tell seat statuses apart by shape: a ring and a tick for "held by you", hatching
// for "held by another buyer", a cross for "sold", a star for "bought by you". Each function adds
// one seat's geometry to the current path, so a whole layer is filled or stroked at once; the
// legend draws its samples with the same functions.
import { Status, type DisplayStatus } from '../state/live';
import { COLORS } from './theme';

type Path = Pick<CanvasRenderingContext2D, 'moveTo' | 'lineTo' | 'arc' | 'closePath'>;

export function addDisc(ctx: Path, x: number, y: number, r: number): void {
  ctx.moveTo(x + r, y);
  ctx.arc(x, y, r, 0, Math.PI * 2);
}

export function addTick(ctx: Path, x: number, y: number, r: number): void {
  ctx.moveTo(x - 0.45 * r, y + 0.02 * r);
  ctx.lineTo(x - 0.12 * r, y + 0.36 * r);
  ctx.lineTo(x + 0.48 * r, y - 0.34 * r);
}

export function addCross(ctx: Path, x: number, y: number, r: number): void {
  const a = 0.42 * r;
  ctx.moveTo(x - a, y - a);
  ctx.lineTo(x + a, y + a);
  ctx.moveTo(x + a, y - a);
  ctx.lineTo(x - a, y + a);
}

/** Three parallel "/" chords. */
export function addHatch(ctx: Path, x: number, y: number, r: number): void {
  const s = Math.SQRT1_2;
  for (const d of [-0.5 * r, 0, 0.5 * r]) {
    const half = Math.sqrt(r * r - d * d) * 0.8;
    const cx = x + d * s;
    const cy = y + d * s;
    ctx.moveTo(cx - half * s, cy + half * s);
    ctx.lineTo(cx + half * s, cy - half * s);
  }
}

export function addStar(ctx: Path, x: number, y: number, r: number): void {
  const outer = 0.62 * r;
  const inner = 0.27 * r;
  for (let k = 0; k < 10; k++) {
    const radius = k % 2 === 0 ? outer : inner;
    const angle = -Math.PI / 2 + (k * Math.PI) / 5;
    const px = x + radius * Math.cos(angle);
    const py = y + radius * Math.sin(angle) + 0.05 * r;
    if (k === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.closePath();
}

/** The colour a seat is filled with. */
export function seatFill(status: DisplayStatus, categoryColor: string): string {
  switch (status) {
    case Status.Available:
      return categoryColor;
    case Status.HeldByMe:
      return COLORS.mine;
    case Status.Held:
      return COLORS.held;
    case Status.Sold:
      return COLORS.sold;
    case Status.SoldToMe:
      return COLORS.soldToMe;
  }
}

/** Calls `add` with the centre of every seat of a layer (no per-seat allocation). */
export type EachSeat = (add: (x: number, y: number) => void) => void;

/** Draws the shape mark of `status` over the seats of a layer, already filled. */
export function drawMarks(
  ctx: CanvasRenderingContext2D,
  status: DisplayStatus,
  each: EachSeat,
  r: number,
): void {
  const line = Math.max(1, r * 0.2);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.beginPath();
  switch (status) {
    case Status.Available:
      return;
    case Status.HeldByMe:
      each((x, y) => addTick(ctx, x, y, r));
      stroke(ctx, COLORS.mineMark, line * 1.1);
      ctx.beginPath();
      each((x, y) => addDisc(ctx, x, y, r + line * 1.6));
      stroke(ctx, COLORS.mine, line);
      return;
    case Status.Held:
      each((x, y) => addHatch(ctx, x, y, r));
      stroke(ctx, COLORS.heldMark, line * 0.75);
      return;
    case Status.Sold:
      each((x, y) => addCross(ctx, x, y, r));
      stroke(ctx, COLORS.soldMark, line * 0.9);
      return;
    case Status.SoldToMe:
      each((x, y) => addStar(ctx, x, y, r));
      ctx.fillStyle = COLORS.soldToMeMark;
      ctx.fill();
      return;
  }
}

function stroke(ctx: CanvasRenderingContext2D, color: string, width: number): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.stroke();
}

/** One seat as the map draws it at glyph size: used by the legend. */
export function drawSeatSample(
  ctx: CanvasRenderingContext2D,
  status: DisplayStatus,
  categoryColor: string,
  x: number,
  y: number,
  r: number,
): void {
  ctx.beginPath();
  addDisc(ctx, x, y, r);
  ctx.fillStyle = seatFill(status, categoryColor);
  ctx.fill();
  drawMarks(ctx, status, (add) => add(x, y), r);
}
