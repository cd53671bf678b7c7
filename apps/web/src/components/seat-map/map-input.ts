// Pointer, wheel and keyboard input of the seat map, turned into SeatMapEngine calls: one pointer
// drags to pan, two fingers pinch to zoom (and pan with their midpoint), a click (no drag) holds
// or releases, a tap shows the seat first, a double tap zooms in, the wheel zooms about the
// pointer, arrows move the focus.
import type { Direction } from '../../render/spatial-index';
import type { PointerKind, SeatMapEngine } from './seat-map-engine';

/** A press that moves less than this (CSS px) is a click, not a drag. */
const DRAG_THRESHOLD_PX = 5;
const KEY_ZOOM = 1.5;
/** A second tap this soon and this close to the first is a double tap. */
const DOUBLE_TAP_MS = 300;
const DOUBLE_TAP_PX = 30;
const DOUBLE_TAP_ZOOM = 2;

const ARROWS: Record<string, Direction> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
};

interface Point {
  x: number;
  y: number;
}

interface Press {
  start: Point;
  last: Point;
}

interface Tap {
  at: Point;
  time: number;
}

export function attachMapInput(root: HTMLElement, engine: SeatMapEngine): () => void {
  /** The pointers down on the map, by id. */
  const presses = new Map<number, Press>();
  /** Whether the current gesture panned or pinched (then no click ends it). */
  let moved = false;
  let lastTap: Tap | null = null;
  const local = (event: { clientX: number; clientY: number }): Point => {
    const rect = root.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  const pinchOf = (): { mid: Point; distance: number } | null => {
    const [a, b] = [...presses.values()];
    if (a === undefined || b === undefined) return null;
    return {
      mid: { x: (a.last.x + b.last.x) / 2, y: (a.last.y + b.last.y) / 2 },
      distance: Math.hypot(a.last.x - b.last.x, a.last.y - b.last.y),
    };
  };
  const endGesture = () => {
    presses.clear();
    moved = false;
    root.classList.remove('is-dragging');
  };

  const onPointerDown = (event: PointerEvent) => {
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    if (presses.size >= 2) return;
    const p = local(event);
    if (presses.size === 0) moved = false;
    else moved = true; // a second finger: a pinch, never a tap
    presses.set(event.pointerId, { start: p, last: p });
    root.setPointerCapture(event.pointerId);
    engine.setFocusVisible(false);
  };

  const onPointerMove = (event: PointerEvent) => {
    const p = local(event);
    const press = presses.get(event.pointerId);
    if (press === undefined) {
      if (presses.size === 0 && event.pointerType === 'mouse') engine.hoverAt(p.x, p.y);
      return;
    }
    if (presses.size === 2) {
      const before = pinchOf();
      press.last = p;
      const after = pinchOf();
      if (before === null || after === null || before.distance === 0) return;
      engine.zoomBy(after.distance / before.distance, after.mid.x, after.mid.y);
      engine.pan(after.mid.x - before.mid.x, after.mid.y - before.mid.y);
      return;
    }
    if (!moved && Math.hypot(p.x - press.start.x, p.y - press.start.y) > DRAG_THRESHOLD_PX) {
      moved = true;
      root.classList.add('is-dragging');
    }
    if (moved) engine.pan(p.x - press.last.x, p.y - press.last.y);
    press.last = p;
  };

  const onPointerUp = (event: PointerEvent) => {
    const press = presses.get(event.pointerId);
    if (press === undefined) return;
    presses.delete(event.pointerId);
    const p = local(event);
    if (presses.size > 0) {
      // One finger of a pinch lifted: the other pans on from where it is.
      for (const other of presses.values()) other.start = other.last;
      return;
    }
    const wasMoved = moved;
    endGesture();
    if (event.pointerType === 'mouse') engine.hoverAt(p.x, p.y);
    if (wasMoved) return;
    const kind: PointerKind = event.pointerType === 'mouse' ? 'mouse' : 'touch';
    if (kind === 'touch') {
      const now = event.timeStamp;
      const double =
        lastTap !== null &&
        now - lastTap.time < DOUBLE_TAP_MS &&
        Math.hypot(p.x - lastTap.at.x, p.y - lastTap.at.y) < DOUBLE_TAP_PX;
      lastTap = double ? null : { at: p, time: now };
      if (double) {
        engine.select(-1);
        engine.zoomBy(DOUBLE_TAP_ZOOM, p.x, p.y);
        return;
      }
    }
    engine.clickAt(p.x, p.y, kind);
  };

  const onPointerCancel = (event: PointerEvent) => {
    presses.delete(event.pointerId);
    if (presses.size === 0) endGesture();
  };
  const onPointerLeave = (event: PointerEvent) => {
    if (presses.size === 0 && event.pointerType === 'mouse') engine.hoverAt(-1e9, -1e9);
  };
  const onWheel = (event: WheelEvent) => {
    event.preventDefault();
    const p = local(event);
    const perLine = event.deltaMode === 1 ? 40 : 1;
    const speed = event.ctrlKey ? 0.01 : 0.0015; // ctrl+wheel is a touchpad pinch
    engine.zoomBy(Math.exp(-event.deltaY * perLine * speed), p.x, p.y);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const direction = ARROWS[event.key];
    if (direction !== undefined) engine.moveFocus(direction);
    else if (event.key === 'Enter' || event.key === ' ') engine.activateFocus();
    else if (event.key === '+' || event.key === '=') engine.zoomBy(KEY_ZOOM);
    else if (event.key === '-' || event.key === '_') engine.zoomBy(1 / KEY_ZOOM);
    else if (event.key === '0') engine.fit();
    else if (event.key === 'Escape') engine.select(-1);
    else return;
    event.preventDefault();
    engine.setFocusVisible(true);
  };
  const onFocus = () => {
    if (root.matches(':focus-visible')) engine.setFocusVisible(true);
  };
  const onBlur = () => engine.setFocusVisible(false);

  const removers: (() => void)[] = [];
  const on = <K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (event: HTMLElementEventMap[K]) => void,
    options?: AddEventListenerOptions,
  ) => {
    root.addEventListener(type, listener, options);
    removers.push(() => root.removeEventListener(type, listener, options));
  };
  on('pointerdown', onPointerDown);
  on('pointermove', onPointerMove);
  on('pointerup', onPointerUp);
  on('pointercancel', onPointerCancel);
  on('pointerleave', onPointerLeave);
  on('wheel', onWheel, { passive: false });
  on('keydown', onKeyDown);
  on('focus', onFocus);
  on('blur', onBlur);
  return () => {
    for (const remove of removers) remove();
  };
}
