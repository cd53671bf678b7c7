// The venue-layout format: sections with a price, rows of seats with drawing positions, a stage.
import { Type, type Static } from '@sinclair/typebox';
import { Cents, ID_PATTERN, Text } from './common.js';

const Coordinate = Type.Number({ minimum: -1_000_000, maximum: 1_000_000 });
const Label = Text(100);

export const Stage = Type.Object(
  {
    x: Coordinate,
    y: Coordinate,
    width: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
    height: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
    label: Label,
  },
  { additionalProperties: false },
);
export type Stage = Static<typeof Stage>;

export const LayoutSeat = Type.Object(
  {
    id: Type.String({ pattern: ID_PATTERN }),
    number: Type.Integer({ minimum: 0, maximum: 100_000 }),
    x: Coordinate,
    y: Coordinate,
  },
  { additionalProperties: false },
);
export type LayoutSeat = Static<typeof LayoutSeat>;

export const LayoutRow = Type.Object(
  {
    label: Text(16),
    seats: Type.Array(LayoutSeat, { minItems: 1, maxItems: 10_000 }),
  },
  { additionalProperties: false },
);
export type LayoutRow = Static<typeof LayoutRow>;

export const LayoutSection = Type.Object(
  {
    id: Type.String({ pattern: ID_PATTERN }),
    name: Label,
    price: Cents,
    rows: Type.Array(LayoutRow, { minItems: 1, maxItems: 10_000 }),
  },
  { additionalProperties: false },
);
export type LayoutSection = Static<typeof LayoutSection>;

/** Most places one general-admission section may have. */
export const MAX_GA_CAPACITY = 100_000;

/** Where a general-admission section is drawn: a rectangle, like the stage. */
export const Area = Type.Object(
  {
    x: Coordinate,
    y: Coordinate,
    width: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
    height: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);
export type Area = Static<typeof Area>;

/**
 * A general-admission section: `capacity` places without a position, no rows. Its id is at most
 * 57 characters so that its place ids (`<id>.<n>`, see GA_PLACE_SEPARATOR) stay seat ids.
 */
export const LayoutGaSection = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,57}$' }),
    name: Label,
    price: Cents,
    capacity: Type.Integer({ minimum: 1, maximum: MAX_GA_CAPACITY }),
    area: Area,
  },
  { additionalProperties: false },
);
export type LayoutGaSection = Static<typeof LayoutGaSection>;

/** A place id of a GA section is `<sectionId>.<n>`, n from 1 to its capacity. */
export const GA_PLACE_SEPARATOR = '.';

/** The place id of place `n` of a GA section. */
export const gaPlaceId = (sectionId: string, n: number): string =>
  `${sectionId}${GA_PLACE_SEPARATOR}${n}`;

export const AnyLayoutSection = Type.Union([LayoutSection, LayoutGaSection]);
export type AnyLayoutSection = Static<typeof AnyLayoutSection>;

/** True for a general-admission section of a layout. */
export const isGaSection = (section: AnyLayoutSection): section is LayoutGaSection =>
  !('rows' in section);

/** The seated sections of a layout, in layout order. */
export const seatedSections = (layout: { sections: AnyLayoutSection[] }): LayoutSection[] =>
  layout.sections.filter((section): section is LayoutSection => 'rows' in section);

/** The point that "best" seats are close to. */
export const Focus = Type.Object({ x: Coordinate, y: Coordinate }, { additionalProperties: false });
export type Focus = Static<typeof Focus>;

/** A venue: where the seats are and what they cost. Seat ids are unique across the venue. */
export const VenueLayout = Type.Object(
  {
    name: Label,
    stage: Stage,
    /** Absent: the stage's centre. */
    focus: Type.Optional(Focus),
    sections: Type.Array(AnyLayoutSection, { minItems: 1, maxItems: 1_000 }),
  },
  { additionalProperties: false },
);
export type VenueLayout = Static<typeof VenueLayout>;

/** Most seats one venue may have. */
export const MAX_VENUE_SEATS = 200_000;
