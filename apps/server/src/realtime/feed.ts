// The live feed of one event on this replica: one store subscription, a mirror of the seats, and
// the changes written to every subscriber in passes, coalesced over an interval. Each subscriber is
// sent every change after the last one it was sent, in one frame serialised and framed once for
// all the subscribers at the same point (change-log.ts); so changes that arrive during a long pass
// still reach the sockets that pass has not written yet, and no frame can reach a subscriber out of
// order. A subscriber whose socket cannot keep up is skipped, then sent resync + snapshot once it
// drains.
import type { ChangeBatch } from '../holds/types.js';
import { ChangeLog, type SeatsFrame } from './change-log.js';
import { resyncText, viewersText } from './messages.js';
import { NO_GA, type GaShape } from './messages.js';
import { SeatMirror, type MirrorSnapshot, type SeatWatcher } from './mirror.js';
import type { TextFrame } from './wire.js';

/** The seats as the feed's mirror has them now, and its watchers at the same point. */
export interface SeatView {
  isAvailable: (seatId: string) => boolean;
  /** A GA section's places neither held nor sold. */
  placesLeft: (sectionId: string) => number;
  watcher<T extends SeatWatcher>(key: object, make: () => T): T;
}

/** The sending end of one WebSocket, as the feed sees it. */
export interface Subscriber {
  /** Bytes sent but not yet written to the network. */
  readonly bufferedAmount: number;
  /** Text frames; a Buffer is written as is (the same bytes for every subscriber). */
  send(frame: Buffer): void;
  /** A text frame already framed, the same bytes for every subscriber (wire.ts). */
  sendFrame(frame: TextFrame): void;
}

/** A snapshot, and the epoch of the store's state it was taken from (holds/types.ts). */
export interface FeedSnapshot extends MirrorSnapshot {
  epoch: string;
}

export interface FeedSource {
  /** Listens to the event's change batches; resolves once listening. */
  subscribe(listener: (batch: ChangeBatch) => void): Promise<() => Promise<void>>;
  /** A snapshot of the event (rebuilding a lost state first). */
  snapshot(): Promise<FeedSnapshot>;
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

/**
 * Sockets written per turn of the event loop (a few milliseconds), so that HTTP requests, which
 * wait for a turn at each step, and the store's changes are served while flushes to thousands run
 * back to back.
 */
const SOCKETS_PER_TURN = 250;

export class EventFeed {
  private readonly mirror: SeatMirror;
  /** Changes from the oldest one a live subscriber or the mirror lacks. */
  private readonly log: ChangeLog;
  private readonly subscribers = new Map<Subscriber, SubscriberState>();
  /** How many snapshots this feed was seeded from: a flush still writing older frames stops. */
  private seedings = 0;
  private seededFrom: string | undefined;
  private flushing: Promise<void> | undefined;
  /** Batches that arrive while a snapshot is being taken. */
  private buffered: ChangeBatch[] = [];
  private seeding: Promise<void> | undefined;
  private seeded = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  private closed = false;
  /** How many look at the event over every replica (presence.ts), as a frame; null: not known. */
  private viewers: { count: number; frame: Buffer } | null = null;
  /** HTTP snapshots waiting for changes to arrive (listsAt). */
  private headWaiters: Array<() => void> = [];

  constructor(
    readonly eventId: string,
    private readonly source: FeedSource,
    private readonly options: FeedOptions,
    private readonly hooks: FeedHooks,
    /** The event's GA sections: their places' changes go out as area changes. */
    readonly shape: GaShape = NO_GA,
  ) {
    this.log = new ChangeLog(eventId);
    this.mirror = new SeatMirror(shape);
  }

  /** Subscribes to the store, then takes the first snapshot. */
  async start(): Promise<void> {
    this.unsubscribe = await this.source.subscribe((batch) => this.onBatch(batch));
    await this.reseed();
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** The epoch of the store's state the last snapshot came from; undefined before the first. */
  get stateEpoch(): string | undefined {
    return this.seededFrom;
  }

  /** The sequence number of the last change this feed knows of, sent or pending. */
  get head(): number {
    return this.log.head;
  }

  /**
   * The seat lists at sequence number `seq` or later, for an HTTP snapshot: waits (at most
   * `timeoutMs`) for the changes up to `seq` to arrive, and applies them to the mirror. Undefined
   * when they do not arrive in time.
   */
  async listsAt(
    seq: number,
    timeoutMs: number,
  ): Promise<{ seq: number; json: string } | undefined> {
    return (await this.reaches(seq, timeoutMs)) ? this.mirror.listsJson() : undefined;
  }

  /** Waits until the mirror is seeded and has applied change `seq`; false after `timeoutMs`. */
  async reaches(seq: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.seeding !== undefined || !this.seeded || this.head < seq) {
      const left = deadline - Date.now();
      if (this.closed || left <= 0) return false;
      await Promise.race([
        this.seeding ?? new Promise<void>((resolve) => this.headWaiters.push(resolve)),
        new Promise((resolve) => setTimeout(resolve, left)),
      ]);
    }
    return true;
  }

  /** Tells every subscriber how many look at the event, when the number changed. */
  setViewers(count: number): void {
    if (this.viewers?.count === count) return;
    this.viewers = { count, frame: Buffer.from(viewersText(this.eventId, count)) };
    for (const subscriber of this.subscribers.keys()) this.sendViewers(subscriber);
  }

  private sendViewers(subscriber: Subscriber): void {
    // Nice to know, never worth a backlog: a socket that cannot keep up goes without.
    if (this.viewers === null || subscriber.bufferedAmount > this.options.lowWaterBytes) return;
    subscriber.send(this.viewers.frame);
  }

  /**
   * The seats as this replica knows them now, every change received applied: best available picks
   * on it (a pick is re-checked by the hold, so a lagging view costs a retry, never a seat), with
   * the mirror's watchers (SeatMirror.watcher) brought to the same point.
   */
  view(): SeatView {
    const mirror = this.mirror;
    return {
      isAvailable: (seatId) => mirror.status(seatId) === 'AVAILABLE',
      placesLeft: (sectionId) => mirror.available(sectionId),
      watcher: (key, make) => mirror.watcher(key, make),
    };
  }

  add(subscriber: Subscriber): void {
    this.subscribers.set(subscriber, { status: 'waiting', seq: -1 });
    this.sendViewers(subscriber);
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
    let snapshot: FeedSnapshot;
    try {
      snapshot = await this.source.snapshot();
    } catch (error) {
      this.hooks.error(error, 'feed snapshot failed; retrying');
      if (!this.closed) setTimeout(() => void this.reseed(), 1_000).unref();
      return;
    }
    const wasSeeded = this.seeded;
    this.seedings++;
    this.seededFrom = snapshot.epoch;
    this.mirror.seed(snapshot);
    this.log.startAt(snapshot.seq);
    this.seeded = true;
    const late = this.buffered.filter((b) => b.kind === 'replaced' || lastSeq(b) > snapshot.seq);
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
    if (batch.kind === 'replaced') {
      void this.reseed();
      return;
    }
    const first = batch.changes[0]?.seq;
    if (first === undefined || lastSeq(batch) <= this.head) return; // already seen
    if (first !== this.head + 1) {
      void this.reseed(); // a gap: something was missed, so start again from a snapshot
      return;
    }
    // Applied to the mirror as they arrive: a place's change needs its section's count at once.
    this.log.append(this.mirror.apply(batch.changes), batch.time, Date.now());
    this.schedule();
    this.wakeHeadWaiters();
  }

  private wakeHeadWaiters(): void {
    const waiters = this.headWaiters;
    this.headWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Flushes once the oldest change someone lacks has waited an interval: at once if it already
   * has (it came during a long flush), so under load the period is the longer of a pass and the
   * interval, not their sum.
   */
  private schedule(): void {
    if (this.timer !== undefined || this.flushing !== undefined || this.closed) return;
    const since = this.log.oldestArrival ?? Date.now();
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
        if (this.log.oldestArrival !== undefined || lagging) this.schedule();
      });
  }

  private async flush(): Promise<void> {
    const seedings = this.seedings;
    const targets = [...this.subscribers.keys()];
    let sent = 0;
    let oldest = Infinity;
    for (let i = 0; i < targets.length; i++) {
      if (i > 0 && i % SOCKETS_PER_TURN === 0) {
        // Changes that arrive meanwhile go to the sockets not written yet, in the same pass.
        await new Promise((resolve) => setImmediate(resolve));
        if (this.seedings !== seedings || this.closed) return; // reseeded meanwhile: the snapshot rules
      }
      const subscriber = targets[i]!;
      const state = this.subscribers.get(subscriber);
      const frame = state === undefined ? undefined : this.deliver(subscriber, state);
      if (frame === undefined) continue;
      sent++;
      oldest = Math.min(oldest, frame.time);
    }
    this.log.trim(this.seqEveryoneHas());
    if (sent > 0) {
      this.hooks.framesSent(sent);
      this.hooks.lag(Date.now() - oldest);
    }
  }

  /** Sends one subscriber every change after the last it was sent, if its socket keeps up. */
  private deliver(subscriber: Subscriber, state: SubscriberState): SeatsFrame | undefined {
    if (state.status === 'waiting') return undefined;
    if (state.status === 'lagging') {
      if (subscriber.bufferedAmount <= this.options.lowWaterBytes) {
        this.sendResync(subscriber);
        this.sendSnapshot(subscriber);
      }
      return undefined;
    }
    if (state.seq >= this.log.head) return undefined;
    const frame = this.log.frameAfter(state.seq);
    // Bounded at high water + one frame: a big frame still goes to a socket that keeps up.
    if (frame === undefined || subscriber.bufferedAmount > this.options.highWaterBytes) {
      state.status = 'lagging';
      return undefined;
    }
    subscriber.sendFrame(frame.text);
    state.seq = frame.last;
    return frame;
  }

  /** The sequence number of the last change every live subscriber and the mirror have. */
  private seqEveryoneHas(): number {
    let seq = this.mirror.seq;
    for (const state of this.subscribers.values()) {
      if (state.status === 'live') seq = Math.min(seq, state.seq);
    }
    return seq;
  }

  private sendResync(subscriber: Subscriber): void {
    subscriber.send(Buffer.from(resyncText(this.eventId)));
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
  return batch.kind === 'replaced' ? batch.seq : (batch.changes.at(-1)?.seq ?? 0);
}
