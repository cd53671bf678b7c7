// Reads the head of a server frame (packages/protocol/src/ws.ts) straight from the received bytes,
// without JSON.parse: the kind, and for `seats` the `time` and the first and last `seq`. Thousands
// of subscribers in one process get every frame, so this is what keeps the reader cheap. Event
// and seat ids never contain a quote (API.md), so `"seq":` cannot appear inside an id. A frame
// whose keys come in another order than the server writes them falls back to JSON.parse.
import {
  SeatStatus,
  type HelloMessage,
  type SeatChange,
  type SeatsMessage,
  type ServerMessage,
  type SnapshotMessage,
} from '@ticketmain/protocol';

/** What the reader takes from each server message; `unknown` for a frame that is none. */
export type FrameHead =
  | { kind: HelloMessage['type']; protocol: HelloMessage['protocol'] }
  | {
      kind: SeatsMessage['type'];
      time: SeatsMessage['time'];
      firstSeq: SeatChange['seq'];
      lastSeq: SeatChange['seq'];
    }
  | { kind: SnapshotMessage['type']; seq: SnapshotMessage['seq'] }
  | { kind: Extract<ServerMessage['type'], 'resync' | 'error' | 'viewers'> }
  | { kind: 'unknown' };

/** How many frames needed the full parse (a sign that the server's layout changed). */
export const readerStats = { slowReads: 0 };

const SEATS = Buffer.from('{"type":"seats"');
const SNAPSHOT = Buffer.from('{"type":"snapshot"');
const RESYNC = Buffer.from('{"type":"resync"');
const ERROR = Buffer.from('{"type":"error"');
const HELLO = Buffer.from('{"type":"hello"');
const VIEWERS = Buffer.from('{"type":"viewers"');
const PROTOCOL = Buffer.from('"protocol":');
const TIME = Buffer.from('"time":');
const SEQ = Buffer.from('"seq":');
const ZERO = 0x30;
const NINE = 0x39;
const SPACE = 0x20;

export function readFrame(data: Buffer): FrameHead {
  if (startsWith(data, SEATS)) return readSeats(data) ?? slowRead(data);
  if (startsWith(data, SNAPSHOT)) {
    // The first `"seq":` of a snapshot is its own (held and sold are lists of ids).
    const seq = intAfter(data, data.indexOf(SEQ, SNAPSHOT.length), SEQ.length);
    return Number.isNaN(seq) ? slowRead(data) : { kind: 'snapshot', seq };
  }
  if (startsWith(data, RESYNC)) return { kind: 'resync' };
  if (startsWith(data, ERROR)) return { kind: 'error' };
  // Every few seconds: how many look at the event; nothing a subscriber counts.
  if (startsWith(data, VIEWERS)) return { kind: 'viewers' };
  // Once per connection, first: last in line, the frames above come by the thousand.
  if (startsWith(data, HELLO)) {
    const protocol = intAfter(data, data.indexOf(PROTOCOL, HELLO.length), PROTOCOL.length);
    return Number.isNaN(protocol) ? slowRead(data) : { kind: 'hello', protocol };
  }
  return slowRead(data);
}

function readSeats(data: Buffer): FrameHead | undefined {
  const first = data.indexOf(SEQ, SEATS.length);
  const last = data.lastIndexOf(SEQ);
  const firstSeq = intAfter(data, first, SEQ.length);
  const lastSeq = intAfter(data, last, SEQ.length);
  if (Number.isNaN(firstSeq) || Number.isNaN(lastSeq)) return undefined;
  // `time` comes before `changes` as the server writes it; an absent time is allowed.
  const at = data.indexOf(TIME, SEATS.length);
  const time = at >= 0 && at < first ? intAfter(data, at, TIME.length) : NaN;
  return { kind: 'seats', time: Number.isNaN(time) ? undefined : time, firstSeq, lastSeq };
}

/** The non-negative integer after a key found at `at` (NaN when there is none). */
function intAfter(data: Buffer, at: number, keyLength: number): number {
  if (at < 0) return NaN;
  let i = at + keyLength;
  while (data[i] === SPACE) i++;
  let value = 0;
  let digits = 0;
  for (let byte = data[i]; byte !== undefined && byte >= ZERO && byte <= NINE; byte = data[++i]) {
    value = value * 10 + (byte - ZERO);
    digits++;
  }
  return digits === 0 ? NaN : value;
}

function startsWith(data: Buffer, prefix: Buffer): boolean {
  return (
    data.length >= prefix.length && data.compare(prefix, 0, prefix.length, 0, prefix.length) === 0
  );
}

/** The same head from a full parse: only for frames that are not laid out as expected. */
function slowRead(data: Buffer): FrameHead {
  readerStats.slowReads++;
  let message: unknown;
  try {
    message = JSON.parse(data.toString('utf8'));
  } catch {
    return { kind: 'unknown' };
  }
  if (typeof message !== 'object' || message === null) return { kind: 'unknown' };
  const m = message as Record<string, unknown>;
  if (m.type === 'hello' && typeof m.protocol === 'number') {
    return { kind: 'hello', protocol: m.protocol };
  }
  if (m.type === 'snapshot' && typeof m.seq === 'number') return { kind: 'snapshot', seq: m.seq };
  if (m.type === 'resync') return { kind: 'resync' };
  if (m.type === 'error') return { kind: 'error' };
  if (m.type === 'viewers') return { kind: 'viewers' };
  if (m.type !== 'seats' || !Array.isArray(m.changes)) return { kind: 'unknown' };
  const seqs = (m.changes as unknown[]).map((c) =>
    typeof c === 'object' && c !== null ? (c as Record<string, unknown>).seq : undefined,
  );
  const firstSeq = seqs[0];
  const lastSeq = seqs.at(-1);
  if (typeof firstSeq !== 'number' || typeof lastSeq !== 'number') return { kind: 'unknown' };
  return {
    kind: 'seats',
    time: typeof m.time === 'number' ? m.time : undefined,
    firstSeq,
    lastSeq,
  };
}

/** A `seats` or `snapshot` message fully parsed (what a view needs of it), for the few
 *  connections that keep a view; `other` for any other frame. */
export type FullMessage =
  | Pick<SeatsMessage, 'type' | 'changes'>
  | Pick<SnapshotMessage, 'type' | 'seq' | 'held' | 'sold'>
  | { type: 'other' };

const SEAT_STATUSES: ReadonlySet<unknown> = new Set(SeatStatus.anyOf.map((s) => s.const));

export function parseFull(text: string): FullMessage {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { type: 'other' };
  }
  if (typeof message !== 'object' || message === null) return { type: 'other' };
  const m = message as Record<string, unknown>;
  if (m.type === 'snapshot' && typeof m.seq === 'number') {
    return { type: 'snapshot', seq: m.seq, held: strings(m.held), sold: strings(m.sold) };
  }
  if (m.type === 'seats' && Array.isArray(m.changes)) {
    const changes: SeatChange[] = [];
    for (const c of m.changes as unknown[]) {
      if (typeof c !== 'object' || c === null) return { type: 'other' };
      const { seq, seatId, status } = c as Record<string, unknown>;
      if (typeof seq !== 'number' || typeof seatId !== 'string' || !isSeatStatus(status)) {
        return { type: 'other' };
      }
      changes.push({ seq, seatId, status });
    }
    return { type: 'seats', changes };
  }
  return { type: 'other' };
}

function isSeatStatus(value: unknown): value is SeatStatus {
  return SEAT_STATUSES.has(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
