// The map's key: price categories by colour, and the seat statuses with the same marks the
// canvas draws (drawn by the same functions), so no status depends on colour alone.
import { useEffect, useRef } from 'react';
import { drawSeatSample } from '../render/glyphs';
import type { Scene } from '../render/scene';
import { formatMoney, STATUS_WORDS } from '../state/format';
import { Status, type DisplayStatus } from '../state/live';

const STATUSES: readonly DisplayStatus[] = [
  Status.Available,
  Status.HeldByMe,
  Status.Held,
  Status.Sold,
  Status.SoldToMe,
];

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
  const { venue, categoryColors } = scene;
  const neutral = categoryColors[0] ?? '#888';
  return (
    <div className="legend" aria-label="Legend">
      <ul className="legend-group" aria-label="Prices">
        {venue.categories.map((category, i) => (
          <li key={category.price} title={category.sectionNames.join(', ')}>
            <SeatSample status={Status.Available} color={categoryColors[i] ?? neutral} />
            <span className="legend-name">{category.label}</span>
            <span className="legend-price">{formatMoney(category.price, venue.currency)}</span>
          </li>
        ))}
      </ul>
      <ul className="legend-group" aria-label="Seat status">
        {STATUSES.map((status) => (
          <li key={status}>
            <SeatSample status={status} color={neutral} />
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
