// A uniform grid over the seats (bucket arrays in CSR form: no per-cell objects), for
// hit-testing a pointer and for moving the keyboard focus to the nearest seat in a direction.
export type Direction = 'left' | 'right' | 'up' | 'down';

/** Most cells the grid may have; sparse layouts get bigger cells instead. */
const MAX_CELLS = 1 << 20;
/** Sideways distance costs this much more than distance in the asked direction. */
const SIDEWAYS_WEIGHT = 2;

export class SpatialIndex {
  readonly cellSize: number;
  readonly cols: number;
  readonly rows: number;
  private readonly minX: number;
  private readonly minY: number;
  /** Seats of cell c are items[cellStart[c] .. cellStart[c + 1]). */
  private readonly cellStart: Int32Array;
  private readonly items: Int32Array;

  constructor(
    readonly xs: ArrayLike<number>,
    readonly ys: ArrayLike<number>,
    cellSize?: number,
  ) {
    const n = xs.length;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = xs[i] ?? 0;
      const y = ys[i] ?? 0;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    if (n === 0) minX = minY = maxX = maxY = 0;
    const width = maxX - minX;
    const height = maxY - minY;
    // About two seats a cell when the seats filled their bounding box evenly.
    let size = cellSize ?? Math.sqrt(((width || 1) * (height || 1) * 2) / Math.max(1, n));
    size = Math.max(size, 1e-6, Math.sqrt(((width + 1) * (height + 1)) / MAX_CELLS));
    this.cellSize = size;
    this.minX = minX;
    this.minY = minY;
    this.cols = Math.floor(width / size) + 1;
    this.rows = Math.floor(height / size) + 1;
    const cellOf = new Int32Array(n);
    const cellStart = new Int32Array(this.cols * this.rows + 1);
    for (let i = 0; i < n; i++) {
      const c = this.cellAt(xs[i] ?? 0, ys[i] ?? 0);
      cellOf[i] = c;
      cellStart[c + 1]! += 1;
    }
    for (let c = 0; c < this.cols * this.rows; c++) cellStart[c + 1]! += cellStart[c]!;
    const fill = cellStart.slice(0, -1);
    const items = new Int32Array(n);
    for (let i = 0; i < n; i++) items[fill[cellOf[i]!]!++] = i;
    this.cellStart = cellStart;
    this.items = items;
  }

  get count(): number {
    return this.xs.length;
  }

  /** The seat nearest to (x, y) within maxDist, or -1. */
  nearest(x: number, y: number, maxDist: number): number {
    let best = -1;
    let bestD2 = maxDist * maxDist;
    this.forCellsAround(x, y, maxDist, (i) => {
      const dx = (this.xs[i] ?? 0) - x;
      const dy = (this.ys[i] ?? 0) - y;
      const d2 = dx * dx + dy * dy;
      if (d2 <= bestD2) {
        bestD2 = d2;
        best = i;
      }
    });
    return best;
  }

  /**
   * The seat to move to from `from` when an arrow key is pressed: ahead in that direction, the
   * one with the least (distance ahead + 2 × distance sideways); -1 when there is none.
   */
  nearestInDirection(from: number, direction: Direction): number {
    const ox = this.xs[from] ?? 0;
    const oy = this.ys[from] ?? 0;
    const [ax, ay] = AXES[direction];
    let best = -1;
    let bestCost = Infinity;
    this.searchRings(
      ox,
      oy,
      () => bestCost,
      (i) => {
        if (i === from) return;
        const dx = (this.xs[i] ?? 0) - ox;
        const dy = (this.ys[i] ?? 0) - oy;
        const ahead = dx * ax + dy * ay;
        if (ahead <= 1e-9) return;
        const cost = ahead + SIDEWAYS_WEIGHT * Math.abs(dx * ay - dy * ax);
        if (cost < bestCost || (cost === bestCost && i < best)) {
          bestCost = cost;
          best = i;
        }
      },
    );
    return best;
  }

  /** The seat nearest to (x, y), however far. */
  nearestAnywhere(x: number, y: number): number {
    let best = -1;
    let bestD = Infinity;
    this.searchRings(
      x,
      y,
      () => bestD,
      (i) => {
        const d = Math.hypot((this.xs[i] ?? 0) - x, (this.ys[i] ?? 0) - y);
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      },
    );
    return best;
  }

  /** Median distance from a seat to its nearest neighbour, over a sample: the seat pitch. */
  typicalSpacing(sample = 400): number {
    const n = this.count;
    if (n < 2) return 1;
    const step = Math.max(1, Math.floor(n / sample));
    const distances: number[] = [];
    for (let i = 0; i < n; i += step) {
      const ox = this.xs[i] ?? 0;
      const oy = this.ys[i] ?? 0;
      let bestD = Infinity;
      this.searchRings(
        ox,
        oy,
        () => bestD,
        (j) => {
          if (j === i) return;
          const d = Math.hypot((this.xs[j] ?? 0) - ox, (this.ys[j] ?? 0) - oy);
          if (d > 0 && d < bestD) bestD = d;
        },
      );
      if (Number.isFinite(bestD)) distances.push(bestD);
    }
    distances.sort((a, b) => a - b);
    return distances[Math.floor(distances.length / 2)] ?? 1;
  }

  private cellAt(x: number, y: number): number {
    const cx = Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.minX) / this.cellSize)));
    const cy = Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.minY) / this.cellSize)));
    return cy * this.cols + cx;
  }

  private visitCell(cx: number, cy: number, visit: (seat: number) => void): void {
    if (cx < 0 || cy < 0 || cx >= this.cols || cy >= this.rows) return;
    const c = cy * this.cols + cx;
    for (let k = this.cellStart[c]!; k < this.cellStart[c + 1]!; k++) visit(this.items[k]!);
  }

  private forCellsAround(x: number, y: number, r: number, visit: (seat: number) => void): void {
    const x0 = Math.floor((x - r - this.minX) / this.cellSize);
    const x1 = Math.floor((x + r - this.minX) / this.cellSize);
    const y0 = Math.floor((y - r - this.minY) / this.cellSize);
    const y1 = Math.floor((y + r - this.minY) / this.cellSize);
    for (let cy = Math.max(0, y0); cy <= Math.min(this.rows - 1, y1); cy++) {
      for (let cx = Math.max(0, x0); cx <= Math.min(this.cols - 1, x1); cx++) {
        this.visitCell(cx, cy, visit);
      }
    }
  }

  /**
   * Visits cells in square rings around (x, y), nearest first, until every unvisited seat is
   * farther than `bound()` (a cost that is never below the straight-line distance).
   */
  private searchRings(x: number, y: number, bound: () => number, visit: (seat: number) => void) {
    const cx = Math.floor((x - this.minX) / this.cellSize);
    const cy = Math.floor((y - this.minY) / this.cellSize);
    const maxRing = Math.max(this.cols, this.rows) + Math.abs(cx) + Math.abs(cy);
    for (let ring = 0; ring <= maxRing; ring++) {
      if (ring === 0) this.visitCell(cx, cy, visit);
      for (let d = -ring; d <= ring && ring > 0; d++) {
        this.visitCell(cx + d, cy - ring, visit);
        this.visitCell(cx + d, cy + ring, visit);
        if (d !== -ring && d !== ring) {
          this.visitCell(cx - ring, cy + d, visit);
          this.visitCell(cx + ring, cy + d, visit);
        }
      }
      // Seats in ring + 1 and beyond are at least ring × cellSize away.
      if (bound() <= ring * this.cellSize) return;
    }
  }
}

const AXES: Record<Direction, readonly [number, number]> = {
  left: [-1, 0],
  right: [1, 0],
  up: [0, -1],
  down: [0, 1],
};
