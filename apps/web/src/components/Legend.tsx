// The map's key: each section in the colour of its available seats, and the other seat statuses
// with the same marks the canvas draws (drawn by the same functions), so none is told by colour
// alone.
import { useEffect, useRef } from 'react';
import { drawSeatSample } from '../render/glyphs';
import { LEGEND_STATUSES, sectionSwatches } from '../render/legend';
import type { Scene } from '../render/scene';
import { formatMoney, STATUS_WORDS } from '../state/format';
import { Status, type DisplayStatus } from '../state/live';

const SAMPLE_PX = 22;

function SeatSample({ status, color }: { status: DisplayStatus; color: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = SAMPLE_PX * dpr;
    canvas.height = SAMPLE_PX * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, SAMPLE_PX, SAMPLE_PX);
    drawSeatSample(ctx, status, color, SAMPLE_PX / 2, SAMPLE_PX / 2, 7);
  }, [status, color]);
  return (
    <canvas
      ref={ref}
      className="legend-sample"
      style={{ width: SAMPLE_PX, height: SAMPLE_PX }}
      aria-hidden="true"
    />
  );
}

export function Legend({ scene }: { scene: Scene }) {
  const { venue } = scene;
  return (
    <div className="legend" aria-label="Legend" data-testid="legend">
      <ul className="legend-group" aria-label="Available seats by section">
        {sectionSwatches(venue).map((section) => (
          <li key={section.id} data-section-id={section.id} data-color={section.color}>
            <SeatSample status={Status.Available} color={section.color} />
            <span className="legend-name">{section.name}</span>
            <span className="legend-price">{formatMoney(section.price, venue.currency)}</span>
          </li>
        ))}
      </ul>
      <ul className="legend-group" aria-label="Seat status">
        {LEGEND_STATUSES.map((status) => (
          <li key={status} data-status={status}>
            <SeatSample status={status} color="" />
            <span className="legend-name">{capitalise(STATUS_WORDS[status])}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
