// WebSocket messages (API.md, "WebSocket GET /ws"): type-tagged unions, client and server side.
import { Type, type Static } from '@sinclair/typebox';
import { GaAvailability } from './api.js';
import { EventId, SeatId, SeatStatus } from './common.js';

export const SubscribeMessage = Type.Object(
  { type: Type.Literal('subscribe'), eventId: EventId },
  { additionalProperties: false },
);
export const UnsubscribeMessage = Type.Object(
  { type: Type.Literal('unsubscribe'), eventId: EventId },
  { additionalProperties: false },
);
export const ResyncRequest = Type.Object(
  { type: Type.Literal('resync'), eventId: EventId },
  { additionalProperties: false },
);
/** Asks for the event's waiting-room frames (QueueMessage); `unsubscribe` ends them too. */
export const QueueWatchMessage = Type.Object(
  { type: Type.Literal('queue'), eventId: EventId },
  { additionalProperties: false },
);
export const ClientMessage = Type.Union([
  SubscribeMessage,
  UnsubscribeMessage,
  ResyncRequest,
  QueueWatchMessage,
]);
export type ClientMessage = Static<typeof ClientMessage>;

export const SeatChange = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  seatId: SeatId,
  status: SeatStatus,
});
export type SeatChange = Static<typeof SeatChange>;

/** A general-admission section's places left after the change numbered `seq`. */
export const AreaChange = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  sectionId: Type.String(),
  available: Type.Integer({ minimum: 0 }),
});
export type AreaChange = Static<typeof AreaChange>;

/** One numbered change of a `seats` frame: a seat's status or a GA section's count. */
export const FeedChange = Type.Union([SeatChange, AreaChange]);
export type FeedChange = Static<typeof FeedChange>;

/** True for a seat change (an area change has no seatId). */
export const isSeatChange = (change: FeedChange): change is SeatChange => 'seatId' in change;

export const SnapshotMessage = Type.Object({
  type: Type.Literal('snapshot'),
  eventId: EventId,
  seq: Type.Integer({ minimum: 0 }),
  held: Type.Array(SeatId),
  sold: Type.Array(SeatId),
  /** Each GA section's places left at `seq` (its places never appear in held or sold). */
  ga: Type.Optional(Type.Array(GaAvailability)),
});
export type SnapshotMessage = Static<typeof SnapshotMessage>;

export const SeatsMessage = Type.Object({
  type: Type.Literal('seats'),
  eventId: EventId,
  /** Epoch ms at which the hold store made the first change of this frame (fan-out lag). */
  time: Type.Optional(Type.Integer({ minimum: 0 })),
  changes: Type.Array(FeedChange),
});
export type SeatsMessage = Static<typeof SeatsMessage>;

export const ResyncMessage = Type.Object({ type: Type.Literal('resync'), eventId: EventId });
export type ResyncMessage = Static<typeof ResyncMessage>;

export const ErrorMessage = Type.Object({
  type: Type.Literal('error'),
  code: Type.String(),
  message: Type.String(),
});
export type ErrorMessage = Static<typeof ErrorMessage>;

/**
 * The first message on every connection: the server's PROTOCOL_VERSION. Its shape never changes,
 * so a client of any version can read it and ask to be reloaded when the numbers differ.
 */
export const HelloMessage = Type.Object({
  type: Type.Literal('hello'),
  protocol: Type.Integer({ minimum: 1 }),
});
export type HelloMessage = Static<typeof HelloMessage>;

/**
 * How many people are looking at the event now, over every replica (the viewer's own page
 * included); sent on subscribing and when the number changes, at most every few seconds.
 */
export const ViewersMessage = Type.Object({
  type: Type.Literal('viewers'),
  eventId: EventId,
  count: Type.Integer({ minimum: 0 }),
});
export type ViewersMessage = Static<typeof ViewersMessage>;

/**
 * The waiting room's public progress, the same for everyone (it names no session, no ticket): a
 * buyer's place is their `number − servedThrough`. Sent on asking and whenever it changes, at
 * most a few times a second. `waiting`: entries not admitted yet (0 once sold out).
 */
export const QueueMessage = Type.Object({
  type: Type.Literal('queue'),
  eventId: EventId,
  servedThrough: Type.Integer({ minimum: 0 }),
  waiting: Type.Integer({ minimum: 0 }),
  admitPerMinute: Type.Integer({ minimum: 1 }),
  paused: Type.Boolean(),
});
export type QueueMessage = Static<typeof QueueMessage>;

export const ServerMessage = Type.Union([
  HelloMessage,
  SnapshotMessage,
  SeatsMessage,
  ResyncMessage,
  ErrorMessage,
  ViewersMessage,
  QueueMessage,
]);
export type ServerMessage = Static<typeof ServerMessage>;
