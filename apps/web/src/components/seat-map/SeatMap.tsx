// The seat map: one focusable canvas element (role="application"), a tooltip, the card of a
// tapped seat, a live region naming the focused or hovered seat, and below the map (never over
// its seats) a toolbar with the zoom buttons. Drawing and input live in SeatMapEngine.
import { useEffect, useRef, useState } from 'react';
import type { EventController } from '../../app/event-controller';
import type { Scene } from '../../render/scene';
import { GaAreas, type GaLayerHandle } from './GaAreas';
import { GaCard } from './GaCard';
import { attachMapInput } from './map-input';
import { SeatCard } from './SeatCard';
import { SeatMapEngine } from './seat-map-engine';

interface Props {
  scene: Scene;
  controller: EventController;
}

export function SeatMap({ scene, controller }: Props) {
  const rootRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const tooltipRef = useRef<HTMLDivElement>(null);
  const announcerRef = useRef<HTMLDivElement>(null);
  const [engine, setEngine] = useState<SeatMapEngine | null>(null);
  const [selected, setSelected] = useState(-1);
  const gaLayer = useRef<GaLayerHandle>(null);
  const [area, setArea] = useState<string | null>(null);

  useEffect(() => {
    const [root, canvas, tooltip, announcer] = [
      rootRef.current,
      canvasRef.current,
      tooltipRef.current,
      announcerRef.current,
    ];
    if (!root || !canvas || !tooltip || !announcer) return;
    const created = new SeatMapEngine({
      root,
      canvas,
      tooltip,
      announcer,
      scene,
      live: controller.live,
      onActivate: (seat) => controller.toggle(seat),
      onSelect: (seat) => {
        setSelected(seat);
        if (seat >= 0) setArea(null);
      },
      onDraw: (view) => gaLayer.current?.place(view),
    });
    const detach = attachMapInput(root, created);
    // A "Best available" pick: its seats ringed and brought into view.
    const unpicked = controller.picked.subscribe(() => {
      created.showSeats(controller.picked.get()?.seats ?? []);
      // On a phone the form is below the map: the map scrolls back up to show the seats.
      const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      root.scrollIntoView({ block: 'nearest', behavior: smooth ? 'smooth' : 'auto' });
    });
    setEngine(created);
    return () => {
      unpicked();
      detach();
      created.dispose();
    };
  }, [scene, controller]);

  const { venue } = scene;
  const chosenArea = venue.areas.find((a) => a.id === area);
  return (
    <div className="seatmap">
      <div
        ref={rootRef}
        className="seatmap-surface"
        data-testid="seat-map"
        role="application"
        tabIndex={0}
        aria-label={`Seat map of ${venue.venueName}, ${venue.count.toLocaleString('en-US')} seats`}
        aria-describedby="seatmap-help"
      >
        <canvas ref={canvasRef} aria-hidden="true" />
        <div ref={tooltipRef} className="seat-tooltip" aria-hidden="true" hidden />
      </div>
      <GaAreas
        ref={gaLayer}
        venue={venue}
        controller={controller}
        selected={area}
        onSelect={(id) => {
          engine?.select(-1);
          setArea(id);
        }}
      />
      {selected >= 0 && (
        <SeatCard
          seat={selected}
          venue={venue}
          controller={controller}
          onClose={() => engine?.select(-1)}
        />
      )}
      {chosenArea && (
        <GaCard
          key={chosenArea.id}
          area={chosenArea}
          venue={venue}
          controller={controller}
          onClose={() => setArea(null)}
        />
      )}
      <p id="seatmap-help" className="visually-hidden">
        Arrow keys move between seats. Enter or Space holds the focused seat, or releases it if you
        hold it. Plus and minus zoom, 0 fits the whole venue. Drag to pan; click a section to zoom
        into it.
      </p>
      <div
        ref={announcerRef}
        className="visually-hidden"
        data-testid="seat-focus"
        role="status"
        aria-live="polite"
      />
      <div className="map-toolbar">
        <p className="map-hint" aria-hidden="true">
          <span className="hint-touch">
            Tap a section to zoom in, a seat to see it. Pinch to zoom.
          </span>
          <span className="hint-mouse">Click a section to zoom in, a seat to hold it.</span>
        </p>
        <div className="zoom-controls" role="group" aria-label="Zoom">
          <button type="button" aria-label="Zoom out" onClick={() => engine?.zoomBy(1 / 1.5)}>
            −
          </button>
          <button type="button" aria-label="Zoom in" onClick={() => engine?.zoomBy(1.5)}>
            +
          </button>
          <button type="button" aria-label="Fit to screen" onClick={() => engine?.fit()}>
            Fit
          </button>
        </div>
      </div>
    </div>
  );
}
