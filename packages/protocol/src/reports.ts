// The organiser's report of one event (API.md "Reports"): seats by section, revenue, orders per
// minute. sold + held + available = capacity, per section and in all.
import { Type, type Static } from '@sinclair/typebox';
import { Currency, EventId, Timestamp } from './common.js';

const Count = Type.Integer({ minimum: 0 });
/** Cents of the event's currency; a sold-out stadium passes the single price's bound. */
const Revenue = Type.Integer({ minimum: 0 });

export const SectionReport = Type.Object({
  sectionId: Type.String(),
  name: Type.String(),
  capacity: Count,
  sold: Count,
  held: Count,
  available: Count,
  revenue: Revenue,
});
export type SectionReport = Static<typeof SectionReport>;

export const MinuteReport = Type.Object({
  /** The minute's start. */
  minute: Timestamp,
  orders: Count,
  tickets: Count,
  revenue: Revenue,
});
export type MinuteReport = Static<typeof MinuteReport>;

export const QueueReport = Type.Object({
  waiting: Count,
  admitted: Count,
  servedThrough: Count,
  /** The admission rate and whether admission is paused (the console's controls show them). */
  admitPerMinute: Type.Integer({ minimum: 1 }),
  paused: Type.Boolean(),
});
export type QueueReport = Static<typeof QueueReport>;

export const EventReport = Type.Object(
  {
    eventId: EventId,
    capacity: Count,
    sold: Count,
    held: Count,
    available: Count,
    revenue: Revenue,
    currency: Currency,
    sections: Type.Array(SectionReport),
    /** The last 60 minutes, oldest first, every minute (0 when nothing happened). */
    ordersPerMinute: Type.Array(MinuteReport),
    /** The waiting room's state; null while the event has none. */
    queue: Type.Union([QueueReport, Type.Null()]),
  },
  { description: 'Seats by section, revenue and orders per minute of one event' },
);
export type EventReport = Static<typeof EventReport>;

export const ReportQuery = Type.Object({
  format: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('csv')], {
      description: '`csv`: one line per section, as a file download',
    }),
  ),
});
export type ReportQuery = Static<typeof ReportQuery>;
