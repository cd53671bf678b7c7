// The live feed of one event on this replica: one store subscription, a mirror of the seats,
// changes coalesced into one frame per interval, serialised and framed once (one Buffer) and written
// to every subscriber. A subscriber whose socket cannot keep up is skipped, then sent resync + snapshot
// once it drains. Each subscriber's last sequence number is tracked, so no frame can reach it
// out of order: a frame that does not continue exactly from it is never sent.
import type { ChangeBatch, SeatChangeRecord } from '../holds/types.js';
import { SeatMirror, type MirrorSnapshot } from './mirror.js';
import { textFrame, type TextFrame } from './wire.js';

/** The sending end of one WebSocket, as the feed sees it. */
export interface Subscriber {
  /** Bytes sent but not yet written to the network. */
  readonly bufferedAmount: number;
  /** Text frames; a Buffer is written as is (the same bytes for every subscriber). */
  send(frame: Buffer): void;
  /** A text frame already framed, the same bytes for every subscriber (wire.ts). */
  sendFrame(frame: TextFrame): void;
}

export interface FeedSource {
  /** Listens to the event's change batches; resolves once listening. */
  subscribe(listener: (batch: ChangeBatch) => void): Promise<() => Promise<void>>;
  /** A snapshot of the event (rebuilding a lost state first). */
  snapshot(): Promise<MirrorSnapshot>;
}

export interface FeedHooks {
  framesSent(count: number): void;
  resync(): void;
  /** Milliseconds from the store's change to the frame being written. */
  lag(ms: number): void;
  error(error: unknown, message: string): void;
}

export interface FeedOptions {
  flushIntervalMs: number;
  /** A socket with more than this buffered is skipped (its backlog is dropped). */
  highWaterBytes: number;
  /** A skipped socket gets resync + snapshot once its buffer is under this. */
  lowWaterBytes: number;
}

interface SubscriberState {
  status: 'waiting' | 'live' | 'lagging';
  /** The sequence number of the last change this subscriber was sent (snapshot or frame). */
  seq: number;
}

/** Sockets written per turn of the event loop, so a flush to thousands never starves HTTP. */
const SOCKETS_PER_TURN = 1_000;

export class EventFeed {
  private readonly mirror = new SeatMirror();
  private readonly subscribers = new Map<Subscriber, SubscriberState>();
  /** Bumped by every reseed: a flush still writing an older frame stops. */
  private epoch = 0;
  private flushing: Promise<void> | undefined;
  private pending: SeatChangeRecord[] = [];
  private pendingSince: number | undefined;
  /** When the oldest pending change reached this replica (its clock, not the store's). */
  private pendingArrived: number | undefined;
  /** Batches that arrive while a snapshot is being taken. */
  private buffered: ChangeBatch[] = [];
  private seeding: Promise<void> | undefined;
  private seeded = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  private closed = false;
  /** HTTP snapshots waiting for changes to arrive (listsAt). */
  private headWaiters: Array<() => void> = [];

  constructor(
    readonly eventId: string,
    private readonly source: FeedSource,
    private readonly options: FeedOptions,
    private readonly hooks: FeedHooks,
  ) {}

  /** Subscribes to the store, then takes the first snapshot. */
  async start(): Promise<void> {
    this.unsubscribe = await this.source.subscribe((batch) => this.onBatch(batch));
    await this.reseed();
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** The sequence number of the last change this feed knows of, sent or pending. */
  get head(): number {
    return this.mirror.seq + this.pending.length;
  }

  /**
   * The seat lists at sequence number `seq` or later, for an HTTP snapshot: waits (at most
   * `timeoutMs`) for the changes up to `seq` to arrive, and sends what is pending at once so the
   * mirror includes them. Undefined when they do not arrive in time.
   */
  async listsAt(
    seq: number,
    timeoutMs: number,
  ): Promise<{ seq: number; json: string } | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.seeding !== undefined || !this.seeded || this.head < seq) {
      const left = deadline - Date.now();
      if (this.closed || left <= 0) return undefined;
      await Promise.race([
        this.seeding ?? new Promise<void>((resolve) => this.headWaiters.push(resolve)),
        new Promise((resolve) => setTimeout(resolve, left)),
      ]);
    }
    // The mirror takes the pending changes as soon as a flush starts.
    if (this.flushing !== undefined) await this.flushing;
    if (this.pending.length > 0) this.flushNow();
    return this.mirror.listsJson();
  }

  add(subscriber: Subscriber): void {
    this.subscribers.set(subscriber, { status: 'waiting', seq: -1 });
    if (this.seeded && this.seeding === undefined) this.sendSnapshot(subscriber);
  }

  remove(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
  }

  /** A client asked for a fresh snapshot. */
  resend(subscriber: Subscriber): void {
    const state = this.subscribers.get(subscriber);
    if (state === undefined) return;
    state.status = 'waiting';
    if (this.seeded && this.seeding === undefined) this.sendSnapshot(subscriber);
  }

  /** Takes a new snapshot (after a gap, a reset or a lost state); every subscriber resyncs. */
  reseed(): Promise<void> {
    this.seeding ??= this.seed().finally(() => (this.seeding = undefined));
    return this.seeding;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.subscribers.clear();
    await this.unsubscribe?.();
  }

  private async seed(): Promise<void> {
    this.buffered = [];
    let snapshot: MirrorSnapshot;
    try {
      snapshot = await this.source.snapshot();
    } catch (error) {
      this.hooks.error(error, 'feed snapshot failed; retrying');
      if (!this.closed) setTimeout(() => void this.reseed(), 1_000).unref();
      return;
    }
    const wasSeeded = this.seeded;
    this.epoch++;
    this.mirror.seed(snapshot);
    this.pending = [];
    this.pendingSince = undefined;
    this.pendingArrived = undefined;
    this.seeded = true;
    const late = this.buffered.filter((b) => b.kind === 'reset' || lastSeq(b) > snapshot.seq);
    this.buffered = [];
    for (const [subscriber, state] of this.subscribers) {
      if (state.status !== 'waiting' && wasSeeded) this.sendResync(subscriber);
      this.sendSnapshot(subscriber);
    }
    for (const batch of late) this.onBatch(batch);
    this.wakeHeadWaiters();
  }

  private onBatch(batch: ChangeBatch): void {
    if (this.closed) return;
    if (this.seeding !== undefined || !this.seeded) {
      this.buffered.push(batch);
      return;
    }
    if (batch.kind === 'reset') {
      void this.reseed();
      return;
    }
    const first = batch.changes[0]?.seq;
    if (first === undefined || lastSeq(batch) <= this.head) return; // already seen
    if (first !== this.head + 1) {
      void this.reseed(); // a gap: something was missed, so start again from a snapshot
      return;
    }
    this.pending.push(...batch.changes);
    this.pendingSince ??= batch.time;
    this.pendingArrived ??= Date.now();
    this.schedule();
    this.wakeHeadWaiters();
  }

  private wakeHeadWaiters(): void {
    const waiters = this.headWaiters;
    this.headWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Flushes once the oldest pending change has waited an interval: at once if it already has
   * (it came during a long flush), so under load the period is the longer of a pass and the
   * interval, not their sum.
   */
  private schedule(): void {
    if (this.timer !== undefined || this.flushing !== undefined || this.closed) return;
    const since = this.pendingArrived ?? Date.now();
    const delay = Math.max(0, since + this.options.flushIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushNow();
    }, delay);
  }

  /** Starts a flush now; flushes never overlap, so frames leave in sequence order. */
  private flushNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flush()
      .catch((error: unknown) => this.hooks.error(error, 'feed flush failed'))
      .finally(() => {
        this.flushing = undefined;
        const lagging = [...this.subscribers.values()].some((s) => s.status === 'lagging');
        // A lagging socket is checked again even if no change comes to trigger a flush.
        if (this.pending.length > 0 || lagging) this.schedule();
      });
  }

  private async flush(): Promise<void> {
    const changes = this.pending;
    const since = this.pendingSince;
    this.pending = [];
    this.pendingSince = undefined;
    this.pendingArrived = undefined;
    this.mirror.apply(changes);
    const first = changes[0]?.seq;
    const frame =
      first === undefined
        ? undefined
        : {
            first,
            last: this.mirror.seq,
            text: textFrame(
              JSON.stringify({ type: 'seats', eventId: this.eventId, time: since, changes }),
            ),
          };
    const epoch = this.epoch;
    const targets = [...this.subscribers.keys()];
    let sent = 0;
    for (let i = 0; i < targets.length; i++) {
      if (i > 0 && i % SOCKETS_PER_TURN === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.epoch !== epoch || this.closed) return; // reseeded meanwhile: the snapshot rules
      }
      const subscriber = targets[i]!;
      const state = this.subscribers.get(subscriber);
      if (state !== undefined && this.deliver(subscriber, state, frame)) sent++;
    }
    if (sent > 0) this.hooks.framesSent(sent);
    if (since !== undefined && sent > 0) this.hooks.lag(Date.now() - since);
  }

  /** Writes the frame to one subscriber if it continues exactly from what it was last sent. */
  private deliver(
    subscriber: Subscriber,
    state: SubscriberState,
    frame: { first: number; last: number; text: TextFrame } | undefined,
  ): boolean {
    if (state.status === 'waiting') return false;
    if (state.status === 'lagging') {
      if (subscriber.bufferedAmount <= this.options.lowWaterBytes) {
        this.sendResync(subscriber);
        this.sendSnapshot(subscriber);
      }
      return false;
    }
    if (frame === undefined || state.seq >= frame.last) return false;
    // Bounded at high water + one frame: a big frame still goes to a socket that keeps up.
    if (state.seq !== frame.first - 1 || subscriber.bufferedAmount > this.options.highWaterBytes) {
      state.status = 'lagging';
      return false;
    }
    subscriber.sendFrame(frame.text);
    state.seq = frame.last;
    return true;
  }

  private sendResync(subscriber: Subscriber): void {
    subscriber.send(Buffer.from(JSON.stringify({ type: 'resync', eventId: this.eventId })));
    this.hooks.resync();
  }

  /** Sends a snapshot, unless the socket is backed up: then it waits for the socket to drain. */
  private sendSnapshot(subscriber: Subscriber): void {
    const state = this.subscribers.get(subscriber);
    if (state === undefined) return;
    if (subscriber.bufferedAmount > this.options.highWaterBytes) {
      state.status = 'lagging';
      this.schedule();
      return;
    }
    subscriber.send(this.mirror.snapshotFrame(this.eventId));
    state.status = 'live';
    state.seq = this.mirror.seq;
  }
}

function lastSeq(batch: ChangeBatch): number {
  return batch.kind === 'reset' ? batch.seq : (batch.changes.at(-1)?.seq ?? 0);
}
