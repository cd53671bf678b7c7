// General admission: areas whose places have no fixed position, held by quantity. The words the
// buyer reads (the area's name and places left, the cart's "Standing floor × 2", a refusal), the
// stepper's bounds, and the cart's groups. Pure: the state comes in as arguments.
import { formatMoney } from './format';
import type { HeldPlace, LiveState } from './live';
import type { GaAreaInfo, Venue } from './venue';

/** "1,204 places left", "1 place left", "Sold out". */
export function placesLeftText(available: number): string {
  if (available <= 0) return 'Sold out';
  return `${available.toLocaleString('en-US')} ${available === 1 ? 'place' : 'places'} left`;
}

/** The area's accessible name: "Standing floor, $45, 1,204 places left". */
export function areaAccessibleName(area: GaAreaInfo, available: number, currency: string): string {
  const left = available <= 0 ? 'sold out' : placesLeftText(available);
  return `${area.name}, ${formatMoney(area.price, currency)}, ${left}`;
}

/** Places left in an area: the server's count, or the whole capacity before the first snapshot. */
export function availableIn(areas: LiveState['areas'], area: GaAreaInfo): number {
  return areas.get(area.id) ?? area.capacity;
}

export interface StepperBounds {
  min: number;
  /** 0: nothing can be held (sold out, or the session's limit is reached). */
  max: number;
}

/**
 * How many places the stepper offers: at least 1, at most what the session may still hold (its
 * limit counts seats and places together) and what the area has left.
 */
export function stepperBounds(limit: number, held: number, available: number): StepperBounds {
  const max = Math.max(0, Math.min(limit - held, available));
  return { min: max === 0 ? 0 : 1, max };
}

export function clampQuantity(quantity: number, bounds: StepperBounds): number {
  if (!Number.isFinite(quantity)) return bounds.min;
  return Math.min(bounds.max, Math.max(bounds.min, Math.round(quantity)));
}

/** Why the stepper cannot go higher, or null when it can. */
export function stepperLimitText(
  bounds: StepperBounds,
  limit: number,
  held: number,
  available: number,
): string | null {
  if (available <= 0) return 'This area is sold out.';
  if (limit - held <= 0) return `You hold ${limit} already, the most one buyer may.`;
  if (bounds.max === available && available < limit - held) return placesLeftText(available) + '.';
  return `Up to ${limit} per buyer.`;
}

/** The held places of one area, one line in the cart. */
export interface PlaceGroup {
  sectionId: string;
  name: string;
  /** "Standing floor × 2" */
  label: string;
  placeIds: string[];
  price: number;
  /** The earliest expiry of the group's places (epoch ms, server clock). */
  expiresAt: number;
}

export function placeGroups(venue: Venue, places: ReadonlyMap<string, HeldPlace>): PlaceGroup[] {
  const groups = new Map<string, PlaceGroup>();
  for (const [placeId, place] of places) {
    let group = groups.get(place.sectionId);
    if (group === undefined) {
      const area = venue.areas.find((a) => a.id === place.sectionId);
      const name = area?.name ?? 'General admission';
      group = {
        sectionId: place.sectionId,
        name,
        label: name,
        placeIds: [],
        price: area?.price ?? 0,
        expiresAt: place.expiresAt,
      };
      groups.set(place.sectionId, group);
    }
    group.placeIds.push(placeId);
    group.expiresAt = Math.min(group.expiresAt, place.expiresAt);
  }
  // In the layout's order, like the map.
  const order = new Map(venue.areas.map((a, i) => [a.id, i]));
  return [...groups.values()]
    .map((g) => ({ ...g, label: `${g.name} × ${g.placeIds.length}` }))
    .sort((a, b) => (order.get(a.sectionId) ?? 0) - (order.get(b.sectionId) ?? 0));
}

/** A 409 SEAT_UNAVAILABLE naming areas: "Only 1 place left in Standing floor." */
export function placesUnavailableMessage(
  venue: Venue,
  sectionIds: readonly string[],
  areas: LiveState['areas'],
): string {
  const parts = sectionIds.flatMap((id) => {
    const area = venue.areas.find((a) => a.id === id);
    if (area === undefined) return [];
    const left = areas.get(id);
    if (left === undefined) return [`Not enough places are left in ${area.name}.`];
    if (left <= 0) return [`${area.name} is sold out.`];
    return [`Only ${placesLeftText(left).replace(' left', '')} left in ${area.name}.`];
  });
  return parts.length > 0 ? parts.join(' ') : 'Not enough places are left.';
}

/** "2 places held in Standing floor." */
export function placesHeldMessage(area: GaAreaInfo, quantity: number): string {
  return `${quantity} ${quantity === 1 ? 'place' : 'places'} held in ${area.name}.`;
}

/** Every hold's expiry, seats and places together (the countdown reads the earliest). */
export function allExpiries(
  mine: LiveState['mine'],
  places: ReadonlyMap<string, HeldPlace>,
): ReadonlyMap<number, number> {
  if (places.size === 0) return mine;
  const out = new Map(mine);
  let key = -1; // places have no seat number: keys below 0 never meet one
  for (const place of places.values()) out.set(key--, place.expiresAt);
  return out;
}

/** The total of the held places, in cents. */
export function placesTotal(groups: readonly PlaceGroup[]): number {
  return groups.reduce((sum, g) => sum + g.price * g.placeIds.length, 0);
}
