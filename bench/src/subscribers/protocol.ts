// The messages between the bench and its subscriber process (worker.ts), over the IPC channel of
// child_process with the "advanced" serialisation (typed arrays cross as they are).
import type { Order, SnapshotMessage } from '@ticketmain/protocol';

/** Grow the pool to `total` subscribers of one event (each open, subscribed, with a snapshot). */
export interface ConnectCommand {
  type: 'connect';
  url: string;
  eventId: string;
  total: number;
  concurrency: number;
  /** The first this many subscribers parse every frame and keep a full view. */
  sampled: number;
  timeoutMs: number;
}

/** Starts a measurement window: counters to zero; changes after `fromSeq` count. */
export interface MarkCommand {
  type: 'mark';
  fromSeq: number;
}

/** Waits until every subscriber has seen `toSeq` (or the timeout), then reports the window. */
export interface CollectCommand {
  type: 'collect';
  fromSeq: number;
  toSeq: number;
  timeoutMs: number;
}

export interface CloseCommand {
  type: 'close';
}

/** The launch: buyers subscribe, then hold and buy what they see until sold out or the bound. */
export interface LaunchCommand {
  type: 'launch';
  url: string;
  eventId: string;
  /** Every seat of the event, in layout order (neighbours in the list sit side by side). */
  seatIds: string[];
  /** One buyer per token. */
  tokens: string[];
  connectConcurrency: number;
  httpConnections: number;
  /** Bound of the buying phase. */
  durationS: number;
  /** After the last buyer stops: how long views may take to show the final state. */
  settleMs: number;
  seed: number;
}

export type Command = ConnectCommand | MarkCommand | CollectCommand | CloseCommand | LaunchCommand;

export interface ConnectReply {
  type: 'connect';
  open: number;
  failed: number;
  failures: string[];
  ms: number;
  /** The process's soft limit on open files. */
  fdLimit: number;
}

export interface MarkReply {
  type: 'mark';
}

/** A sampled subscriber's view at the end: what a snapshot at its last seq would say. */
export interface SampleView extends Pick<SnapshotMessage, 'seq' | 'held' | 'sold'> {
  index: number;
}

export interface CollectReply {
  type: 'collect';
  subscribers: number;
  /** Subscribers whose last seq reached `toSeq`. */
  reached: number;
  /** Subscribers that got every change of the window, without a gap or a resync. */
  complete: number;
  expected: number;
  changesMin: number;
  changesMax: number;
  frames: number;
  bytes: number;
  /** A frame whose first seq was not the last one seen + 1, with no resync in between. */
  gaps: number;
  resyncs: number;
  errors: number;
  /** Connections closed by the other side during the window. */
  closed: number;
  /** Frames the cheap reader could not read, parsed in full instead. */
  slowReads: number;
  framesWithoutTime: number;
  latency: Uint32Array;
  cpuMs: number;
  windowMs: number;
  waitedMs: number;
  samples: SampleView[];
  /** Behind the last seq at the end, with no gap seen and no resync: changes silently lost. */
  silentlyBehind: number;
  /** A few subscribers that did not get every change. */
  incomplete: Array<{
    index: number;
    changes: number;
    lastSeq: number;
    gaps: number;
    resyncs: number;
  }>;
}

export interface CloseReply {
  type: 'close';
  closed: number;
}

/** Distinct final views of the buyers, with how many buyers ended with each. */
export interface ViewGroup extends Pick<SnapshotMessage, 'held' | 'sold'> {
  buyers: number;
}

/** A 201 order of a buyer, with the seats it asked for. */
export interface LaunchOrder extends Pick<Order, 'orderId'> {
  seatIds: string[];
}

export interface LaunchReply {
  type: 'launch';
  buyers: number;
  connected: number;
  connectFailures: string[];
  connectMs: number;
  /** From the start signal to the last 201 order. */
  sellOutMs: number | null;
  soldOut: boolean;
  buyingMs: number;
  orders: LaunchOrder[];
  holdAttempts: number;
  holdConflicts: number;
  /** Best-available holds asked (half of the buyers ask the server instead of picking). */
  bestHolds: number;
  /** Of which 409 NO_SEATS_AVAILABLE. */
  bestNoSeats: number;
  orderConflicts: number;
  releases: number;
  /** Responses that were neither success nor an expected refusal, and failed requests. */
  errors: number;
  errorSamples: string[];
  statuses: Record<string, number>;
  holdLatency: Uint32Array;
  orderLatency: Uint32Array;
  fanoutLatency: Uint32Array;
  frames: number;
  gaps: number;
  resyncs: number;
  /** The most common final views (at most 20). */
  views: ViewGroup[];
  distinctViews: number;
  /** Buyers whose view showed the final state (all sold) when the settle time ended. */
  viewsSoldOut: number;
  cpuMs: number;
  fdLimit: number;
}

export type Reply = ConnectReply | MarkReply | CollectReply | CloseReply | LaunchReply;

export type ReplyTo<C extends Command> = Extract<Reply, { type: C['type'] }>;

export interface ToWorker {
  id: number;
  command: Command;
}

export type FromWorker =
  | { kind: 'ready'; fdLimit: number }
  | { kind: 'reply'; id: number; reply: Reply }
  | { kind: 'failed'; id: number; error: string };
