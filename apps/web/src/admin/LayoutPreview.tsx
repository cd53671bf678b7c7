// A venue layout drawn as buyers will see it (the seat map's own renderer, every seat available),
// before the event is created.
import { useEffect, useRef } from 'react';
import { DEFAULT_RULES, isGaSection, seatedSections, type VenueLayout } from '@ticketmain/protocol';
import { drawFrame } from '../render/draw';
import { buildScene } from '../render/scene';
import { fitView } from '../render/view';
import { buildVenue } from '../state/venue';

const HEIGHT = 320;

export function LayoutPreview({ layout, seats }: { layout: VenueLayout; seats: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d', { alpha: false });
    if (!canvas || !ctx) return;
    const venue = buildVenue({
      id: 'preview',
      name: layout.name,
      venueName: layout.name,
      startsAt: new Date().toISOString(),
      currency: 'USD',
      seatCount: seats,
      rules: DEFAULT_RULES,
      queue: null,
      stage: layout.stage,
      sections: layout.sections.map((section) => ({
        id: section.id,
        name: section.name,
        price: section.price,
        kind: isGaSection(section) ? 'ga' : 'seated',
      })),
      seats: seatedSections(layout).flatMap((section) =>
        section.rows.flatMap((row) =>
          row.seats.map((seat) => ({ ...seat, sectionId: section.id, row: row.label })),
        ),
      ),
    });
    const scene = buildScene(venue);
    const draw = () => {
      const width = canvas.parentElement?.clientWidth ?? 600;
      const dpr = window.devicePixelRatio || 1;
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(HEIGHT * dpr);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${HEIGHT}px`;
      const size = { width, height: HEIGHT };
      drawFrame(ctx, {
        scene,
        display: new Uint8Array(venue.count),
        view: fitView(scene.bounds, size),
        size,
        dpr,
        hover: -1,
        focus: -1,
        focusVisible: false,
        image: ctx.createImageData(canvas.width, canvas.height),
      });
    };
    draw();
    const observer = new ResizeObserver(draw);
    if (canvas.parentElement) observer.observe(canvas.parentElement);
    return () => observer.disconnect();
  }, [layout, seats]);
  return (
    <figure className="admin-preview">
      <canvas ref={ref} role="img" aria-label={`Preview of ${layout.name}: ${seats} seats`} />
      <figcaption>
        {seats.toLocaleString('en-US')} seats in {layout.sections.length}{' '}
        {layout.sections.length === 1 ? 'section' : 'sections'}, as buyers will see them.
      </figcaption>
    </figure>
  );
}
