// A venue layout drawn as buyers will see it (the seat map's own renderer, every seat available,
// its general-admission areas laid over it as on the buyer's map), before the event is created.
import { useEffect, useMemo, useRef, type CSSProperties } from 'react';
import { DEFAULT_RULES, isGaSection, seatedSections, type VenueLayout } from '@ticketmain/protocol';
import { placeAreas } from '../components/seat-map/GaAreas';
import { drawFrame } from '../render/draw';
import { buildScene } from '../render/scene';
import { categoryColor } from '../render/theme';
import { fitView } from '../render/view';
import { formatMoney, joinWords } from '../state/format';
import { buildVenue, type Venue } from '../state/venue';
import { placeCount, seatCount } from './generate-layout';

const HEIGHT = 320;

/** The layout as the event detail will give it to the buyer's page. */
function previewVenue(layout: VenueLayout, currency: string): Venue {
  return buildVenue({
    id: 'preview',
    name: layout.name,
    venueName: layout.name,
    startsAt: new Date().toISOString(),
    currency,
    seatCount: seatCount(layout) + placeCount(layout),
    rules: DEFAULT_RULES,
    queue: null,
    stage: layout.stage,
    sections: layout.sections.map((section) =>
      isGaSection(section)
        ? { ...section, kind: 'ga' as const }
        : { id: section.id, name: section.name, price: section.price, kind: 'seated' as const },
    ),
    seats: seatedSections(layout).flatMap((section) =>
      section.rows.flatMap((row) =>
        row.seats.map((seat) => ({ ...seat, sectionId: section.id, row: row.label })),
      ),
    ),
  });
}

/** "272 seats in 3 sections", "… and 2 general admission areas of 1,500 places in all". */
function sizeText(venue: Venue, seats: number, places: number): string {
  const seated = venue.sections.length - venue.areas.length;
  const parts: string[] = [];
  if (seated > 0) {
    parts.push(
      `${seats.toLocaleString('en-US')} seats in ${seated} ${seated === 1 ? 'section' : 'sections'}`,
    );
  }
  if (venue.areas.length > 0) {
    const n = venue.areas.length;
    parts.push(
      `${n} general admission ${n === 1 ? 'area' : 'areas'} of ${places.toLocaleString('en-US')} ${places === 1 ? 'place' : 'places'}${n === 1 ? '' : ' in all'}`,
    );
  }
  return joinWords(parts);
}

export function LayoutPreview({ layout, currency }: { layout: VenueLayout; currency: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const layer = useRef<HTMLDivElement>(null);
  const venue = useMemo(() => previewVenue(layout, currency), [layout, currency]);
  const seats = venue.count;
  const places = placeCount(layout);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d', { alpha: false });
    if (!canvas || !ctx) return;
    const scene = buildScene(venue);
    const draw = () => {
      const width = canvas.parentElement?.clientWidth ?? 600;
      const dpr = window.devicePixelRatio || 1;
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(HEIGHT * dpr);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${HEIGHT}px`;
      const size = { width, height: HEIGHT };
      const view = fitView(scene.bounds, size);
      drawFrame(ctx, {
        scene,
        display: new Uint8Array(venue.count),
        view,
        size,
        dpr,
        hover: -1,
        focus: -1,
        focusVisible: false,
        image: ctx.createImageData(canvas.width, canvas.height),
      });
      if (layer.current) placeAreas(layer.current, venue.areas, view);
    };
    draw();
    const observer = new ResizeObserver(draw);
    if (canvas.parentElement) observer.observe(canvas.parentElement);
    return () => observer.disconnect();
  }, [venue]);
  const size = sizeText(venue, seats, places);
  return (
    <figure className="admin-preview">
      <div className="admin-preview-map">
        <canvas ref={ref} role="img" aria-label={`Preview of ${layout.name}: ${size}`} />
        {/* Said by the canvas's name and the caption: drawn over it for the eye only. */}
        <div ref={layer} className="ga-layer" aria-hidden="true">
          {venue.areas.map((area, i) => {
            const category = venue.sections.find((s) => s.id === area.id)?.category ?? 0;
            const style = { '--area': categoryColor(category) } as CSSProperties;
            return (
              <div
                key={area.id}
                className="ga-area"
                data-area-index={i}
                data-testid="preview-area"
                data-section-id={area.id}
                style={style}
              >
                <span className="ga-area-name">{area.name}</span>{' '}
                <span className="ga-area-detail">
                  {formatMoney(area.price, currency)} · {area.capacity.toLocaleString('en-US')}{' '}
                  {area.capacity === 1 ? 'place' : 'places'}
                </span>
              </div>
            );
          })}
        </div>
      </div>
      <figcaption>{size}, as buyers will see them.</figcaption>
    </figure>
  );
}
