// A WebSocket subscriber for tests: keeps the seat view that snapshot + deltas give, and records
// every raw frame, every frame outside the protocol and every sequence gap it was not told about.
import {
  conforms,
  ServerMessage,
  type ErrorMessage,
  type QueueMessage,
  isSeatChange,
  type FeedChange,
} from '@ticketmain/protocol';
import WebSocket from 'ws';

export type Status = 'HELD' | 'SOLD';

export class Watcher {
  readonly frames: string[] = [];
  readonly seats = new Map<string, Status>();
  seq = -1;
  snapshots = 0;
  resyncs = 0;
  /** Gaps in the sequence not preceded by a resync or snapshot: must stay empty. */
  readonly untoldGaps: { expected: number; got: number }[] = [];
  readonly errors: ErrorMessage[] = [];
  /** The viewer counts the server sent, in order. */
  readonly viewers: number[] = [];
  /** The waiting-room frames the server sent, in order. */
  readonly queues: QueueMessage[] = [];
  /** Frames that are not a ServerMessage of the protocol: must stay empty. */
  readonly malformed: string[] = [];
  /** The protocol version of the server's hello; undefined before it came. */
  protocol: number | undefined;
  /** Receive time minus the frame's store time, per seats frame (ms). */
  readonly lags: number[] = [];
  private readonly waiters: { test: () => boolean; resolve: () => void }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.onFrame(data.toString()));
  }

  static async open(baseUrl: string): Promise<Watcher> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`);
    // Listening before the socket opens: the hello may come in the same read as the handshake.
    const watcher = new Watcher(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return watcher;
  }

  static async subscribe(baseUrl: string, eventId: string): Promise<Watcher> {
    const watcher = await Watcher.open(baseUrl);
    watcher.send({ type: 'subscribe', eventId });
    await watcher.until(() => watcher.snapshots > 0);
    return watcher;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Resolves when `test` holds, or rejects after `timeoutMs`. */
  until(test: () => boolean, timeoutMs = 5_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = { test, resolve: () => (clearTimeout(timer), resolve()) };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`watcher: condition not met in ${timeoutMs} ms (seq ${this.seq})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  view(): { held: string[]; sold: string[] } {
    const held: string[] = [];
    const sold: string[] = [];
    for (const [seatId, status] of this.seats) (status === 'HELD' ? held : sold).push(seatId);
    return { held: held.sort(), sold: sold.sort() };
  }

  close(): void {
    this.socket.terminate();
  }

  private onFrame(text: string): void {
    this.frames.push(text);
    const frame: unknown = JSON.parse(text);
    if (!conforms(ServerMessage, frame)) {
      this.malformed.push(text);
    } else if (frame.type === 'hello') {
      this.protocol = frame.protocol;
    } else if (frame.type === 'snapshot') {
      this.seats.clear();
      for (const seatId of frame.held) this.seats.set(seatId, 'HELD');
      for (const seatId of frame.sold) this.seats.set(seatId, 'SOLD');
      this.seq = frame.seq;
      this.snapshots++;
    } else if (frame.type === 'resync') {
      this.resyncs++;
      this.seq = -1; // told: what follows is a snapshot, not a continuation
    } else if (frame.type === 'seats') {
      if (frame.time !== undefined) this.lags.push(Date.now() - frame.time);
      for (const change of frame.changes) this.apply(change);
    } else if (frame.type === 'viewers') {
      this.viewers.push(frame.count);
    } else if (frame.type === 'queue') {
      this.queues.push(frame);
    } else {
      this.errors.push(frame);
    }
    for (const waiter of [...this.waiters]) {
      if (waiter.test()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  /** GA sectionId → places left, from area changes. */
  readonly areas = new Map<string, number>();

  private apply(change: FeedChange): void {
    if (this.seq >= 0 && change.seq !== this.seq + 1) {
      this.untoldGaps.push({ expected: this.seq + 1, got: change.seq });
    }
    this.seq = change.seq;
    if (!isSeatChange(change)) {
      this.areas.set(change.sectionId, change.available);
      return;
    }
    if (change.status === 'AVAILABLE') this.seats.delete(change.seatId);
    else this.seats.set(change.seatId, change.status);
  }
}
