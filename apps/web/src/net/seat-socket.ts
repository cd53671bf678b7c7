// The one owner of the WebSocket: subscribes to an event on open, watches the delta sequence and
// asks for a resync on a gap, and reconnects with exponential backoff and jitter whenever the
// connection drops (a server restart closes with 1012). Messages go to one listener, in order.
// A server that speaks another protocol version (its hello says so) stops it for good.
import { PROTOCOL_VERSION, type ClientMessage, type ServerMessage } from '@ticketmain/protocol';
import { parseServerMessage } from './messages';

/** `outdated`: the server speaks another protocol version; this page must be reloaded. */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'outdated';

/** The part of a WebSocket this class uses; the browser's is adapted by browserWebSocket. */
export interface WebSocketLike {
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: (() => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

/** Capped low: after a server restart, buyers should be back within seconds (jitter spreads them). */
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 5000, factor: 2 };

export interface SeatSocketOptions {
  url: string;
  eventId: string;
  createSocket: WebSocketFactory;
  /** Every message but the hello, which this class answers itself. */
  onMessage: (message: Exclude<ServerMessage, { type: 'hello' }>) => void;
  onStatus?: (status: ConnectionStatus) => void;
  backoff?: BackoffOptions;
  /** In [0, 1); the jitter's source. */
  random?: () => number;
  /** A connection with no snapshot this long after opening or asking for a resync is replaced. */
  snapshotTimeoutMs?: number;
}

/** Equal jitter: half the exponential delay, plus up to as much again at random. */
export function backoffDelay(attempt: number, options: BackoffOptions, random: number): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * options.factor ** attempt);
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}

type Timer = ReturnType<typeof setTimeout>;

export class SeatSocket {
  private ws: WebSocketLike | null = null;
  private status: ConnectionStatus = 'connecting';
  private stopped = true;
  private attempt = 0;
  private retryTimer: Timer | null = null;
  private snapshotTimer: Timer | null = null;
  /** Seq of the last change seen; null while a snapshot is awaited (deltas are not checked). */
  private lastSeq: number | null = null;
  /** Whether each connection also asks for the event's waiting-room frames. */
  private queueWatched = false;
  /** Whether the current connection is open (its subscribe was sent). */
  private opened = false;

  constructor(private readonly options: SeatSocketOptions) {}

  getStatus(): ConnectionStatus {
    return this.status;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const ws = this.ws;
    this.ws = null;
    if (ws !== null) {
      detach(ws);
      safeClose(ws, 1000, 'leaving');
    }
  }

  /** From now on, and on every reconnection, the server sends this event's queue frames. */
  watchQueue(): void {
    if (this.queueWatched) return;
    this.queueWatched = true;
    if (this.opened) this.send({ type: 'queue', eventId: this.options.eventId });
  }

  /** Skips the backoff wait (e.g. the browser came back online). */
  reconnectNow(): void {
    if (this.stopped || this.status === 'live') return;
    if (this.retryTimer !== null) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.open();
    }
  }

  private open(): void {
    const ws = this.options.createSocket(this.options.url);
    this.ws = ws;
    this.opened = false;
    this.lastSeq = null;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.opened = true;
      const { eventId } = this.options;
      this.send({ type: 'subscribe', eventId });
      if (this.queueWatched) this.send({ type: 'queue', eventId });
    };
    ws.onmessage = (event) => {
      if (this.ws === ws) this.receive(event.data);
    };
    ws.onclose = () => this.dropped(ws);
    ws.onerror = () => this.dropped(ws);
    this.expectSnapshot();
  }

  private dropped(ws: WebSocketLike): void {
    if (this.ws !== ws) return; // this connection was already given up
    this.ws = null;
    this.lastSeq = null;
    this.clearTimers();
    detach(ws);
    safeClose(ws, 4000, 'reconnecting');
    if (this.stopped) return;
    this.setStatus('reconnecting');
    const delay = backoffDelay(
      this.attempt,
      this.options.backoff ?? DEFAULT_BACKOFF,
      (this.options.random ?? Math.random)(),
    );
    this.attempt++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  private receive(data: unknown): void {
    const message = parseServerMessage(data);
    if (message === null) {
      console.warn('[seat-socket] ignored a malformed message');
      return;
    }
    if (message.type === 'hello') {
      if (message.protocol !== PROTOCOL_VERSION) this.outdated(message.protocol);
      return;
    }
    if (message.type !== 'error' && message.eventId !== this.options.eventId) return;
    this.options.onMessage(message);
    switch (message.type) {
      case 'snapshot':
        this.lastSeq = message.seq;
        this.attempt = 0;
        this.clearSnapshotTimer();
        this.setStatus('live');
        break;
      case 'seats':
        if (hasGap(this.lastSeq, message.changes)) this.requestResync();
        else this.lastSeq = lastSeqOf(this.lastSeq, message.changes);
        break;
      case 'resync':
        this.lastSeq = null;
        this.expectSnapshot();
        break;
      case 'error':
        console.warn(`[seat-socket] server error ${message.code}: ${message.message}`);
        break;
    }
  }

  private outdated(serverProtocol: number): void {
    console.warn(
      `[seat-socket] the server speaks protocol ${serverProtocol}, not ${PROTOCOL_VERSION}`,
    );
    this.stop();
    this.setStatus('outdated');
  }

  private requestResync(): void {
    this.lastSeq = null;
    this.send({ type: 'resync', eventId: this.options.eventId });
    this.expectSnapshot();
  }

  /** A snapshot must follow; if it does not, the connection is presumed dead and replaced. */
  private expectSnapshot(): void {
    this.clearSnapshotTimer();
    const ws = this.ws;
    if (ws === null) return;
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = null;
      this.dropped(ws);
    }, this.options.snapshotTimeoutMs ?? 10_000);
  }

  private send(message: ClientMessage): void {
    try {
      this.ws?.send(JSON.stringify(message));
    } catch {
      // A socket that cannot send is closing; its close event reconnects.
    }
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus?.(status);
  }

  private clearSnapshotTimer(): void {
    if (this.snapshotTimer !== null) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = null;
  }

  private clearTimers(): void {
    this.clearSnapshotTimer();
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}

/** True when the frame skips a seq after `lastSeq` (older and repeated changes are fine). */
export function hasGap(lastSeq: number | null, changes: readonly { seq: number }[]): boolean {
  if (lastSeq === null) return false;
  let seq = lastSeq;
  for (const change of changes) {
    if (change.seq <= seq) continue;
    if (change.seq !== seq + 1) return true;
    seq = change.seq;
  }
  return false;
}

function lastSeqOf(lastSeq: number | null, changes: readonly { seq: number }[]): number | null {
  if (lastSeq === null) return null;
  return changes.reduce((seq, change) => Math.max(seq, change.seq), lastSeq);
}

function detach(ws: WebSocketLike): void {
  ws.onopen = null;
  ws.onmessage = null;
  ws.onclose = null;
  ws.onerror = null;
}

function safeClose(ws: WebSocketLike, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // already closed
  }
}

/** Adapts the browser's WebSocket to WebSocketLike. */
export function browserWebSocket(url: string): WebSocketLike {
  const ws = new WebSocket(url);
  const like: WebSocketLike = {
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
  };
  ws.onopen = () => like.onopen?.();
  ws.onmessage = (event: MessageEvent<unknown>) => like.onmessage?.({ data: event.data });
  ws.onclose = (event) => like.onclose?.({ code: event.code, reason: event.reason });
  ws.onerror = () => like.onerror?.();
  return like;
}

/** ws:// or wss:// on this page's host. */
export function socketUrl(location: { protocol: string; host: string }, path = '/ws'): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
}
