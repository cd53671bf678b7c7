// The server's WebSocket messages, each written as a member of the protocol's ServerMessage union
// (`satisfies`), so that a frame cannot drift from the contract. Snapshots wrap seat lists that
// are serialised once per sequence number (mirror.ts), so they are built around that text.
import {
  PROTOCOL_VERSION,
  type ErrorMessage,
  type HelloMessage,
  type QueueMessage,
  type ResyncMessage,
  type FeedChange,
  type GaAvailability,
  type SeatsMessage,
  type SnapshotMessage,
  type ViewersMessage,
} from '@ticketmain/protocol';

export function helloText(): string {
  return JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION } satisfies HelloMessage);
}

export function resyncText(eventId: string): string {
  return JSON.stringify({ type: 'resync', eventId } satisfies ResyncMessage);
}

export function errorText(code: string, message: string): string {
  return JSON.stringify({ type: 'error', code, message } satisfies ErrorMessage);
}

export function viewersText(eventId: string, count: number): string {
  return JSON.stringify({ type: 'viewers', eventId, count } satisfies ViewersMessage);
}

export function queueText(frame: Omit<QueueMessage, 'type'>): string {
  const { eventId, servedThrough, waiting, admitPerMinute, paused } = frame;
  const message = {
    type: 'queue',
    eventId,
    servedThrough,
    waiting,
    admitPerMinute,
    paused,
  } satisfies QueueMessage;
  return JSON.stringify(message);
}

/** `time`: the store's clock at the first change. */
export function seatsText(eventId: string, time: number, changes: FeedChange[]): string {
  return JSON.stringify({ type: 'seats', eventId, time, changes } satisfies SeatsMessage);
}

type Lists = Pick<SnapshotMessage, 'seq' | 'held' | 'sold'>;

/**
 * An event's general-admission sections as the realtime layer needs them: each one's capacity,
 * and which section a place id belongs to (undefined for a seat).
 */
export interface GaShape {
  capacities: ReadonlyMap<string, number>;
  sectionOf(seatId: string): string | undefined;
}

export const NO_GA: GaShape = { capacities: new Map(), sectionOf: () => undefined };

/**
 * `"seq":…,"held":[…],"sold":[…],"ga":[…]`: the middle of a SnapshotMessage and of an HTTP
 * SeatSnapshot, serialised once and wrapped by either. GA places are not listed: they become
 * their section's count of places left.
 */
export function listsJson({ seq, held, sold }: Lists, shape: GaShape = NO_GA): string {
  if (shape.capacities.size === 0) {
    return JSON.stringify({ seq, held, sold, ga: [] } satisfies Lists & { ga: unknown[] }).slice(
      1,
      -1,
    );
  }
  const taken = new Map<string, number>();
  const seats = (ids: string[]) =>
    ids.filter((id) => {
      const sectionId = shape.sectionOf(id);
      if (sectionId === undefined) return true;
      taken.set(sectionId, (taken.get(sectionId) ?? 0) + 1);
      return false;
    });
  const lists = { seq, held: seats(held), sold: seats(sold) };
  const ga: GaAvailability[] = [...shape.capacities].map(([sectionId, capacity]) => ({
    sectionId,
    capacity,
    available: Math.max(0, capacity - (taken.get(sectionId) ?? 0)),
  }));
  return JSON.stringify({ ...lists, ga } satisfies Lists & { ga: GaAvailability[] }).slice(1, -1);
}

/** The SnapshotMessage around lists from listsJson. */
export function snapshotText(eventId: string, lists: string): string {
  const head = { type: 'snapshot', eventId } satisfies Omit<SnapshotMessage, keyof Lists>;
  return `${JSON.stringify(head).slice(0, -1)},${lists}}`;
}
