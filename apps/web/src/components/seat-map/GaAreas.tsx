// General-admission areas laid over the canvas: one button per area (a filled rectangle with its
// name and the places left), placed from the engine's view after every frame, so it pans and
// zooms with the seats; a button is a tab stop with its own accessible name. Choosing one opens
// the quantity card (GaCard) below.
import { forwardRef, useImperativeHandle, useRef, type CSSProperties } from 'react';
import type { EventController } from '../../app/event-controller';
import type { View } from '../../render/view';
import { areaAccessibleName, availableIn, placesLeftText } from '../../state/ga';
import { formatMoney } from '../../state/format';
import type { GaAreaInfo, Venue } from '../../state/venue';
import { categoryColor } from '../../render/theme';
import { useSelected } from '../hooks';

/**
 * Sets each `[data-area-index]` element of `root` over its area as `view` draws it; a small one
 * shows its name only (data-size). The buyer's map and the console's preview both place theirs so.
 */
export function placeAreas(root: HTMLElement, areas: readonly GaAreaInfo[], view: View): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-area-index]')) {
    const area = areas[Number(element.dataset.areaIndex)];
    if (!area) continue;
    const width = area.width * view.scale;
    const height = area.height * view.scale;
    element.style.transform = `translate(${view.offsetX + area.x * view.scale}px, ${view.offsetY + area.y * view.scale}px)`;
    element.style.width = `${width}px`;
    element.style.height = `${height}px`;
    element.dataset.size = width < 90 || height < 44 ? 'small' : 'full';
  }
}

export interface GaLayerHandle {
  place(view: View): void;
}

interface Props {
  venue: Venue;
  controller: EventController;
  selected: string | null;
  onSelect: (sectionId: string) => void;
}

export const GaAreas = forwardRef<GaLayerHandle, Props>(function GaAreas(
  { venue, controller, selected, onSelect },
  ref,
) {
  const layer = useRef<HTMLDivElement>(null);
  // The engine calls this after each frame: positions are set on the elements, not in React state.
  useImperativeHandle(ref, () => ({
    place(view: View) {
      const root = layer.current;
      if (root) placeAreas(root, venue.areas, view);
    },
  }));
  if (venue.areas.length === 0) return null;
  return (
    <div ref={layer} className="ga-layer" role="group" aria-label="General admission">
      {venue.areas.map((area, i) => (
        <AreaButton
          key={area.id}
          index={i}
          area={area}
          venue={venue}
          controller={controller}
          selected={selected === area.id}
          onSelect={onSelect}
        />
      ))}
    </div>
  );
});

function AreaButton(props: {
  index: number;
  area: GaAreaInfo;
  venue: Venue;
  controller: EventController;
  selected: boolean;
  onSelect: (sectionId: string) => void;
}) {
  const { index, area, venue, controller, selected, onSelect } = props;
  const available = useSelected(controller.live, (s) => availableIn(s.areas, area));
  const held = useSelected(controller.live, (s) => heldIn(s.places, area.id));
  const soldOut = available <= 0;
  const name = areaAccessibleName(area, available, venue.currency);
  // The colour of its price in the legend, like the seats of that price.
  const category = venue.sections.find((s) => s.id === area.id)?.category ?? 0;
  const style = { '--area': categoryColor(category) } as CSSProperties;
  return (
    <button
      type="button"
      className="ga-area"
      data-area-index={index}
      data-testid="ga-area"
      data-section-id={area.id}
      data-available={available}
      data-sold-out={soldOut}
      aria-label={held > 0 ? `${name}, you hold ${held}` : name}
      aria-pressed={selected}
      style={style}
      onClick={() => onSelect(area.id)}
    >
      {/* The spaces keep the visible text's words apart, as in the accessible name. */}
      <span className="ga-area-name">{area.name}</span>{' '}
      <span className="ga-area-detail">
        {formatMoney(area.price, venue.currency)} · {placesLeftText(available)}
      </span>{' '}
      {held > 0 && <span className="ga-area-mine">You hold {held}</span>}
    </button>
  );
}

function heldIn(places: ReadonlyMap<string, { sectionId: string }>, sectionId: string): number {
  let n = 0;
  for (const place of places.values()) if (place.sectionId === sectionId) n++;
  return n;
}
