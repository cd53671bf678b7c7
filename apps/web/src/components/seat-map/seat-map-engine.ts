// The seat map's imperative shell: owns the canvas, the view transform, hover and keyboard focus,
// and redraws through the frame scheduler when the live state or the view changes. React renders
// the surrounding elements once; hundreds of seat changes a second never touch React.
import {
  seatAccessibleName,
  seatLabel,
  seatPrice,
  STATUS_ATTRIBUTE,
  STATUS_WORDS,
} from '../../state/format';
import { displayStatus, fillDisplay, type DisplayStatus, type LiveState } from '../../state/live';
import type { Observable } from '../../state/observable';
import { sectionOfSeat } from '../../state/venue';
import { drawFrame } from '../../render/draw';
import { FrameScheduler } from '../../render/frame-scheduler';
import type { Scene } from '../../render/scene';
import type { Direction } from '../../render/spatial-index';
import {
  centredOn,
  clampScale,
  ensureVisible,
  fitView,
  panBy,
  scaleLimits,
  toWorld,
  zoomAt,
  type ScaleLimits,
  type Size,
  type View,
} from '../../render/view';

export interface SeatMapElements {
  /** The focusable map element; carries the view transform as data attributes. */
  root: HTMLElement;
  canvas: HTMLCanvasElement;
  tooltip: HTMLElement;
  /** The visually hidden live region with the focused or hovered seat's name. */
  announcer: HTMLElement;
}

export interface SeatMapEngineOptions extends SeatMapElements {
  scene: Scene;
  live: Observable<LiveState>;
  /** Hold or release a seat. */
  onActivate: (seat: number) => void;
  /** A seat tapped on a touch screen, shown before it is held; -1: none. */
  onSelect: (seat: number) => void;
  /** After each frame, with its view (what is laid over the canvas follows it). */
  onDraw?: (view: View) => void;
}

export type PointerKind = 'mouse' | 'touch';

/**
 * Below this seat radius (CSS px) a click zooms into the section instead of picking a seat; a
 * finger needs bigger seats than a mouse.
 */
const MIN_PICK_RADIUS_PX: Record<PointerKind, number> = { mouse: 3, touch: 7 };
/** The seat radius a click or a tap on a section zooms to, at least. */
const SECTION_ZOOM_RADIUS_PX: Record<PointerKind, number> = { mouse: 6, touch: 13 };
/** How far from a seat (CSS px) a finger may land and still pick it. */
const TOUCH_REACH_PX = 18;
/** Room kept free at the bottom of the map for the seat card. */
const CARD_ROOM_PX = 140;
const LOG_EVERY_MS = 1000;

export class SeatMapEngine {
  private view: View = { scale: 1, offsetX: 0, offsetY: 0 };
  private limits: ScaleLimits = { min: 0, max: Infinity };
  private size: Size = { width: 0, height: 0 };
  private dpr = 1;
  private userMoved = false;
  private hover = -1;
  private focus = -1;
  /** Whose name the announcer and tooltip show: the last seat hovered or moved to. */
  private shown = -1;
  private focusVisible = false;
  /** The seat last tapped on a touch screen (its card is shown), or -1. */
  private selected = -1;
  private readonly display: Uint8Array;
  private readonly ctx: CanvasRenderingContext2D;
  /** The pixel buffer small seats are stamped into, sized to the canvas. */
  private image: ImageData | null = null;
  private readonly scheduler: FrameScheduler;
  private readonly cleanups: (() => void)[] = [];
  /** The seats of the last "Best available" pick, ringed while the buyer holds them. */
  private highlight: readonly number[] = [];
  private lastLog = -Infinity;
  private announced = '';

  constructor(private readonly options: SeatMapEngineOptions) {
    const ctx = options.canvas.getContext('2d', { alpha: false });
    if (ctx === null) throw new Error('This browser cannot draw on a canvas.');
    this.ctx = ctx;
    this.display = new Uint8Array(options.scene.venue.count);
    this.scheduler = new FrameScheduler(() => this.draw());
    this.cleanups.push(options.live.subscribe(() => this.scheduler.invalidate()));
    const observer = new ResizeObserver(() => this.measure());
    observer.observe(options.root);
    this.cleanups.push(() => observer.disconnect());
    options.root.dataset.seatCount = String(options.scene.venue.count);
    this.measure();
  }

  dispose(): void {
    this.scheduler.dispose();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  get radiusPx(): number {
    return this.options.scene.radius * this.view.scale;
  }

  zoomBy(factor: number, sx = this.size.width / 2, sy = this.size.height / 2): void {
    this.setView(zoomAt(this.view, factor, sx, sy, this.limits));
  }

  pan(dx: number, dy: number): void {
    this.setView(panBy(this.view, dx, dy));
  }

  /** The whole venue in view; the card of a tapped seat closes. */
  fit(): void {
    if (this.selected >= 0) this.select(-1);
    this.userMoved = false;
    this.view = fitView(this.options.scene.bounds, this.size);
    this.scheduler.invalidate();
  }

  /**
   * Rings `seats` and brings them into view: centred, zoomed in to where a seat is big enough to
   * pick by touch (or kept nearer if it is already), as far as they all fit.
   */
  showSeats(seats: readonly number[]): void {
    this.highlight = seats;
    const { scene, root } = this.options;
    const { xs, ys, ids } = scene.venue;
    root.dataset.highlighted = seats.map((seat) => ids[seat] ?? '').join(' ');
    if (seats.length === 0 || this.size.width === 0) {
      this.scheduler.invalidate();
      return;
    }
    const pad = scene.radius + scene.spacing;
    const b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    for (const seat of seats) {
      b.minX = Math.min(b.minX, (xs[seat] ?? 0) - pad);
      b.minY = Math.min(b.minY, (ys[seat] ?? 0) - pad);
      b.maxX = Math.max(b.maxX, (xs[seat] ?? 0) + pad);
      b.maxY = Math.max(b.maxY, (ys[seat] ?? 0) + pad);
    }
    const fitted = fitView(b, this.size, 24);
    // Never further out than now, unless the seats would not fit.
    const comfortable = Math.max(SECTION_ZOOM_RADIUS_PX.touch / scene.radius, this.view.scale);
    const scale = Math.min(fitted.scale, comfortable);
    const view = centredOn((b.minX + b.maxX) / 2, (b.minY + b.maxY) / 2, scale, this.size);
    this.setView(clampScale(view, this.size, this.limits));
    this.scheduler.invalidate();
  }

  /** The seat under a point of the map element, or -1; `reachPx`: how far from it, at least. */
  seatAt(sx: number, sy: number, reachPx = 4): number {
    const { scene } = this.options;
    const p = toWorld(this.view, sx, sy);
    const reach = Math.max(scene.radius * 1.25, reachPx / this.view.scale);
    return scene.index.nearest(p.x, p.y, reach);
  }

  hoverAt(sx: number, sy: number): void {
    const seat = this.radiusPx < MIN_PICK_RADIUS_PX.mouse ? -1 : this.seatAt(sx, sy);
    this.options.root.style.cursor = seat >= 0 ? 'pointer' : '';
    if (seat === this.hover) return;
    this.hover = seat;
    if (seat >= 0) this.shown = seat;
    else if (this.shown !== this.focus) this.shown = this.focusVisible ? this.focus : -1;
    this.scheduler.invalidate();
  }

  /**
   * A click holds or releases the seat under the mouse; a tap shows the seat's card first. While
   * seats are too small to pick, either zooms into the section under it.
   */
  clickAt(sx: number, sy: number, pointer: PointerKind = 'mouse'): void {
    if (this.radiusPx < MIN_PICK_RADIUS_PX[pointer]) {
      this.zoomToSectionAt(sx, sy, SECTION_ZOOM_RADIUS_PX[pointer]);
      return;
    }
    const seat = this.seatAt(sx, sy, pointer === 'touch' ? TOUCH_REACH_PX : 4);
    if (pointer === 'touch') {
      this.select(seat);
      return;
    }
    if (seat < 0) return;
    this.focus = seat;
    this.shown = seat;
    this.options.onActivate(seat);
    this.scheduler.invalidate();
  }

  /** Shows a seat's card (and its ring) without holding it; -1 closes the card. */
  select(seat: number): void {
    if (seat === this.selected) return;
    this.selected = seat;
    if (seat >= 0) {
      this.focus = seat;
      this.shown = seat;
      this.hover = -1;
      this.focusVisible = true;
      const { xs, ys } = this.options.scene.venue;
      const room = { width: this.size.width, height: Math.max(1, this.size.height - CARD_ROOM_PX) };
      this.setView(
        ensureVisible(this.view, room, xs[seat] ?? 0, ys[seat] ?? 0, this.radiusPx + 24),
      );
    } else {
      this.focusVisible = false;
    }
    this.options.onSelect(seat);
    this.scheduler.invalidate();
  }

  /** Zooms to the section under the point, at least to seats of `radiusPx`. */
  zoomToSectionAt(sx: number, sy: number, radiusPx: number): void {
    const { scene } = this.options;
    const seat = this.seatAt(sx, sy, 24);
    const section = seat < 0 ? undefined : scene.venue.sectionOf[seat];
    const label = scene.labels.sections.find((l) => l.section === section);
    if (label === undefined) return; // no section there
    const pad = scene.radius + scene.spacing;
    const b = label.bounds;
    let view = fitView(
      { minX: b.minX - pad, minY: b.minY - pad, maxX: b.maxX + pad, maxY: b.maxY + pad },
      this.size,
      12,
    );
    const needed = radiusPx / scene.radius;
    if (view.scale < needed) {
      const p = toWorld(this.view, sx, sy);
      view = centredOn(p.x, p.y, needed, this.size);
    }
    this.setView(clampScale(view, this.size, this.limits));
  }

  moveFocus(direction: Direction): void {
    const { index } = this.options.scene;
    const next =
      this.focus < 0 ? this.firstSeat() : index.nearestInDirection(this.focus, direction);
    if (next >= 0) this.focusSeat(next);
  }

  activateFocus(): void {
    if (this.focus < 0) {
      this.focusSeat(this.firstSeat());
      return;
    }
    this.options.onActivate(this.focus);
  }

  setFocusVisible(visible: boolean): void {
    if (!visible && this.selected >= 0) return; // the tapped seat keeps its ring with its card
    if (visible === this.focusVisible) return;
    this.focusVisible = visible;
    if (visible && this.focus < 0) this.focusSeat(this.firstSeat());
    else if (visible && this.hover < 0) this.shown = this.focus;
    this.scheduler.invalidate();
  }

  private focusSeat(seat: number): void {
    if (seat < 0) return;
    if (this.selected >= 0) this.select(-1);
    const { scene } = this.options;
    this.focus = seat;
    this.shown = seat;
    this.hover = -1;
    this.focusVisible = true;
    const margin = this.radiusPx + 48;
    const x = scene.venue.xs[seat] ?? 0;
    const y = scene.venue.ys[seat] ?? 0;
    this.setView(ensureVisible(this.view, this.size, x, y, margin));
    this.scheduler.invalidate();
  }

  /** Where keyboard focus starts: the seat nearest the middle of the stage. */
  private firstSeat(): number {
    const { stage } = this.options.scene.venue;
    return this.options.scene.index.nearestAnywhere(
      stage.x + stage.width / 2,
      stage.y + stage.height / 2,
    );
  }

  private setView(view: View): void {
    if (view === this.view) return;
    this.view = view;
    this.userMoved = true;
    this.scheduler.invalidate();
  }

  /** Sizes the canvas to its element at the device pixel ratio, and redraws at once. */
  private measure(): void {
    const { root, canvas, scene } = this.options;
    const width = root.clientWidth;
    const height = root.clientHeight;
    const dpr = window.devicePixelRatio || 1;
    if (width === 0 || height === 0) return;
    this.size = { width, height };
    this.dpr = dpr;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    this.image = this.ctx.createImageData(canvas.width, canvas.height);
    const fitted = fitView(scene.bounds, this.size);
    this.limits = scaleLimits(fitted, scene.radius);
    if (!this.userMoved) this.view = fitted;
    this.draw();
  }

  private draw(): void {
    if (this.size.width === 0) return;
    if ((window.devicePixelRatio || 1) !== this.dpr) {
      this.measure();
      return;
    }
    const { scene, live, root } = this.options;
    const started = performance.now();
    const state = live.get();
    fillDisplay(state, this.display);
    const stats = drawFrame(this.ctx, {
      scene,
      display: this.display,
      view: this.view,
      size: this.size,
      dpr: this.dpr,
      hover: this.hover,
      focus: this.focus,
      focusVisible: this.focusVisible,
      highlight: this.highlight,
      image: this.image,
    });
    const ms = performance.now() - started;
    root.dataset.scale = String(this.view.scale);
    root.dataset.offsetX = String(this.view.offsetX);
    root.dataset.offsetY = String(this.view.offsetY);
    root.dataset.lastDrawMs = ms.toFixed(2);
    root.dataset.drawnSeats = String(stats.drawn);
    root.dataset.drawMode = stats.mode;
    root.dataset.sectionLabels = String(stats.sectionLabels);
    root.dataset.rowLabels = String(stats.rowLabels);
    root.dataset.seatNumbers = String(stats.seatNumbers);
    root.dataset.stageCue = stats.stageCue;
    root.dataset.ready = 'true';
    this.options.onDraw?.(this.view);
    if (stats.drawn === scene.venue.count && started - this.lastLog >= LOG_EVERY_MS) {
      this.lastLog = started;
      console.debug(`[seatmap] draw ${stats.drawn} seats in ${ms.toFixed(1)} ms`);
    }
    this.describe(state);
  }

  /** The tooltip and the announcer follow the last seat hovered or focused. */
  private describe(state: LiveState): void {
    const { announcer, tooltip, scene } = this.options;
    const seat = this.shown;
    if (seat < 0) {
      tooltip.hidden = true;
      return;
    }
    const status = displayStatus(state, seat);
    const name = seatAccessibleName(scene.venue, seat, status);
    if (name !== this.announced) {
      this.announced = name;
      announcer.textContent = name;
      announcer.dataset.seatId = scene.venue.ids[seat] ?? '';
      announcer.dataset.status = STATUS_ATTRIBUTE[status];
    }
    // A tapped seat has its card instead of a tooltip.
    const showTip =
      this.hover === seat || (this.focusVisible && this.focus === seat && this.selected !== seat);
    tooltip.hidden = !showTip;
    if (showTip) this.placeTooltip(seat, status);
  }

  private placeTooltip(seat: number, status: DisplayStatus): void {
    const { tooltip, scene } = this.options;
    const { venue } = scene;
    const text = `${seatLabel(venue, seat)}|${sectionOfSeat(venue, seat)?.name ?? ''} · ${seatPrice(venue, seat)}|${STATUS_WORDS[status]}`;
    if (tooltip.dataset.text !== text) {
      tooltip.dataset.text = text;
      const [title = '', detail = '', word = ''] = text.split('|');
      tooltip.replaceChildren(line('strong', title), line('span', detail), line('em', word));
      tooltip.dataset.status = STATUS_ATTRIBUTE[status];
    }
    const x = this.view.offsetX + (venue.xs[seat] ?? 0) * this.view.scale;
    const y = this.view.offsetY + (venue.ys[seat] ?? 0) * this.view.scale;
    const below = y - this.radiusPx - 12 < tooltip.offsetHeight;
    const top = below ? y + this.radiusPx + 10 : y - this.radiusPx - 10 - tooltip.offsetHeight;
    const half = tooltip.offsetWidth / 2;
    const left = Math.min(Math.max(4, x - half), this.size.width - 2 * half - 4);
    tooltip.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
  }
}

function line(tag: 'strong' | 'span' | 'em', text: string): HTMLElement {
  const element = document.createElement(tag);
  element.textContent = text;
  return element;
}
