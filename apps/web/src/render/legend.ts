// What the legend lists: one line per section, in the colour the map fills that section's
// available seats with, then the other statuses as drawn (their fill ignores the section).
import { Status, type DisplayStatus } from '../state/live';
import type { Venue } from '../state/venue';
import { seatFill } from './glyphs';
import { categoryColor } from './theme';

export interface SectionSwatch {
  id: string;
  name: string;
  price: number;
  color: string;
}

/** Statuses other than available: each is drawn the same whatever the seat's section. */
export const LEGEND_STATUSES: readonly DisplayStatus[] = [
  Status.HeldByMe,
  Status.Held,
  Status.Sold,
  Status.SoldToMe,
];

/** In the venue's order of sections; sections at one price share the map's colour. */
export function sectionSwatches(venue: Venue): SectionSwatch[] {
  return venue.sections.map((section) => ({
    id: section.id,
    name: section.name,
    price: section.price,
    color: seatFill(Status.Available, categoryColor(section.category)),
  }));
}
