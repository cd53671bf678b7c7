// Pointer, wheel and keyboard input of the seat map, turned into SeatMapEngine calls: drag pans,
// a click (no drag) holds or releases, the wheel zooms about the pointer, arrows move the focus.
import type { Direction } from '../../render/spatial-index';
import type { SeatMapEngine } from './seat-map-engine';

/** A press that moves less than this (CSS px) is a click, not a drag. */
const DRAG_THRESHOLD_PX = 5;
const KEY_ZOOM = 1.5;

const ARROWS: Record<string, Direction> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
};

interface Drag {
  pointerId: number;
  startX: number;
  startY: number;
  lastX: number;
  lastY: number;
  moved: boolean;
}

export function attachMapInput(root: HTMLElement, engine: SeatMapEngine): () => void {
  let drag: Drag | null = null;
  const local = (event: { clientX: number; clientY: number }) => {
    const rect = root.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  const onPointerDown = (event: PointerEvent) => {
    if (event.button !== 0) return;
    const p = local(event);
    drag = {
      pointerId: event.pointerId,
      startX: p.x,
      startY: p.y,
      lastX: p.x,
      lastY: p.y,
      moved: false,
    };
    root.setPointerCapture(event.pointerId);
    engine.setFocusVisible(false);
  };
  const onPointerMove = (event: PointerEvent) => {
    const p = local(event);
    if (drag === null || drag.pointerId !== event.pointerId) {
      engine.hoverAt(p.x, p.y);
      return;
    }
    if (!drag.moved && Math.hypot(p.x - drag.startX, p.y - drag.startY) > DRAG_THRESHOLD_PX) {
      drag.moved = true;
      root.classList.add('is-dragging');
    }
    if (drag.moved) engine.pan(p.x - drag.lastX, p.y - drag.lastY);
    drag.lastX = p.x;
    drag.lastY = p.y;
  };
  const onPointerUp = (event: PointerEvent) => {
    if (drag === null || drag.pointerId !== event.pointerId) return;
    const p = local(event);
    if (!drag.moved) engine.clickAt(p.x, p.y);
    drag = null;
    root.classList.remove('is-dragging');
    engine.hoverAt(p.x, p.y);
  };
  const onPointerCancel = () => {
    drag = null;
    root.classList.remove('is-dragging');
  };
  const onPointerLeave = () => {
    if (drag === null) engine.hoverAt(-1e9, -1e9);
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
