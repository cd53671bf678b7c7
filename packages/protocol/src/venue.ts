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

/** Where a general-admission section is drawn. */
export const GaArea = Type.Object(
  {
    x: Coordinate,
    y: Coordinate,
    width: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
    height: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);
export type GaArea = Static<typeof GaArea>;

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
    sections: Type.Array(LayoutSection, { minItems: 1, maxItems: 1_000 }),
  },
  { additionalProperties: false },
);
export type VenueLayout = Static<typeof VenueLayout>;

/** Most seats one venue may have. */
export const MAX_VENUE_SEATS = 200_000;
