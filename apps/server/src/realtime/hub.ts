// Every live feed of this replica: one per event that has viewers, created on the first
// subscription and closed a while after the last one leaves. It also watches for missed
// changes: a feed whose store sequence runs ahead of it without the changes arriving reseeds, and
// so does a feed seeded from another epoch of the state (Redis lost it and it was rebuilt).
import type { ReadyHoldStore } from '../holds/self-healing.js';
import type { EventPosition } from '../holds/types.js';
import {
  EventFeed,
  type FeedHooks,
  type FeedOptions,
  type SeatView,
  type Subscriber,
} from './feed.js';
import { listsJson, NO_GA, type GaShape } from './messages.js';
import type { PresenceStore } from './presence.js';

/** How long an HTTP snapshot waits for the mirror to catch up before asking the store. */
const LISTS_WAIT_MS = 250;

export interface HubOptions extends FeedOptions {
  /** How often each feed's head is compared with the store's sequence number. */
  checkIntervalMs: number;
  /** How long a feed with no subscriber is kept, in case one comes back. */
  idleMs: number;
  /** Where replicas add up how many look at each event, and how often. */
  presence: { store: PresenceStore; replicaId: string; intervalMs: number };
}

export class RealtimeHub {
  private readonly feeds = new Map<string, Promise<EventFeed>>();
  private readonly idleSince = new Map<string, number>();
  /** Store sequence numbers seen ahead of a feed at the previous check. */
  private readonly behind = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private readonly presenceTimer: NodeJS.Timeout;
  /** The subscriber count each event was last reported with by this replica. */
  private readonly reported = new Map<string, number>();
  private reporting: Promise<void> | undefined;

  constructor(
    private readonly store: ReadyHoldStore,
    private readonly options: HubOptions,
    private readonly hooks: FeedHooks,
    /** The event's GA sections (absent: no event has any). */
    private readonly gaOf: (eventId: string) => Promise<GaShape> = async () => NO_GA,
  ) {
    this.timer = setInterval(() => void this.check(), options.checkIntervalMs);
    this.timer.unref();
    this.presenceTimer = setInterval(() => {
      this.reporting ??= this.reportViewers().finally(() => (this.reporting = undefined));
    }, options.presence.intervalMs);
    this.presenceTimer.unref();
  }

  async subscribe(eventId: string, subscriber: Subscriber): Promise<void> {
    const feed = await this.feed(eventId);
    this.idleSince.delete(eventId);
    feed.add(subscriber);
  }

  /**
   * The event's seat lists, served from this replica's mirror (a feed is opened if none is: a page
   * that asks for a snapshot usually subscribes next), so HTTP snapshots cost Redis one GET of
   * the sequence number. The mirror is first brought up to that number, so a client always sees
   * its own acknowledged changes; if the changes are slow to arrive, the store answers instead.
   * `at`: a position already read from the store (the lists are then at `at.seq` or later).
   */
  async lists(eventId: string, at?: EventPosition): Promise<{ seq: number; json: string }> {
    const { feed, seq } = await this.positioned(eventId, at);
    const lists = await feed.listsAt(seq, LISTS_WAIT_MS);
    if (lists !== undefined) return lists;
    const snap = await this.store.snapshot(eventId);
    return { seq: snap.seq, json: listsJson(snap, feed.shape) };
  }

  /** Which seats this replica's mirror of the event has AVAILABLE now (it may lag the store). */
  async availability(eventId: string): Promise<SeatView> {
    return (await this.watched(eventId)).view();
  }

  /**
   * As `availability`, once the mirror has every change the store had when asked, so that what
   * it says is the store's truth at that moment; undefined when the changes are slow to arrive.
   */
  async currentAvailability(eventId: string): Promise<SeatView | undefined> {
    const { feed, seq } = await this.positioned(eventId);
    return (await feed.reaches(seq, LISTS_WAIT_MS)) ? feed.view() : undefined;
  }

  /** The event's feed, kept open while HTTP callers keep asking and closed once they stop. */
  private async watched(eventId: string): Promise<EventFeed> {
    const feed = await this.feed(eventId);
    if (feed.size === 0) this.idleSince.set(eventId, Date.now());
    return feed;
  }

  /**
   * The feed and the store's sequence number (`at`, or read now) its mirror is to reach before
   * it answers; a mirror of a state the store no longer has is reseeded first.
   */
  private async positioned(
    eventId: string,
    at?: EventPosition,
  ): Promise<{ feed: EventFeed; seq: number }> {
    const feed = await this.watched(eventId);
    // Read before asking: changes arriving during the call move the head past the answer.
    const head = feed.head;
    const position = at ?? (await this.store.sequence(eventId));
    // The mirror describes a state the store no longer has (Redis lost its data and the state
    // was rebuilt): take a new snapshot before answering from it.
    if (stale(feed, position, head)) await feed.reseed();
    return { feed, seq: position.seq };
  }

  async unsubscribe(eventId: string, subscriber: Subscriber): Promise<void> {
    const feed = await this.feeds.get(eventId);
    if (feed === undefined) return;
    feed.remove(subscriber);
    if (feed.size === 0) this.idleSince.set(eventId, Date.now());
  }

  async resync(eventId: string, subscriber: Subscriber): Promise<void> {
    (await this.feeds.get(eventId))?.resend(subscriber);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.presenceTimer);
    await this.reporting;
    const feeds = await Promise.allSettled(this.feeds.values());
    this.feeds.clear();
    await Promise.all(feeds.map((f) => (f.status === 'fulfilled' ? f.value.close() : undefined)));
  }

  private feed(eventId: string): Promise<EventFeed> {
    let feed = this.feeds.get(eventId);
    if (feed === undefined) {
      feed = this.open(eventId);
      this.feeds.set(eventId, feed);
      feed.catch(() => this.feeds.delete(eventId));
    }
    return feed;
  }

  private async open(eventId: string): Promise<EventFeed> {
    const feed = new EventFeed(
      eventId,
      {
        subscribe: (listener) => this.store.subscribe(eventId, listener),
        snapshot: async () => this.store.snapshot(eventId),
      },
      this.options,
      this.hooks,
      await this.gaOf(eventId),
    );
    await feed.start();
    return feed;
  }

  /**
   * Reports this replica's subscribers of every event it has a feed for (0 once they left, then
   * no more), and tells them the sum over all replicas.
   */
  private async reportViewers(): Promise<void> {
    const { store, replicaId, intervalMs } = this.options.presence;
    const ttlMs = intervalMs * 3;
    await Promise.all(
      [...this.feeds].map(async ([eventId, pending]) => {
        try {
          const feed = await pending;
          const count = feed.size;
          if (count === 0 && (this.reported.get(eventId) ?? 0) === 0) return;
          const total = await store.report(eventId, replicaId, count, ttlMs);
          if (count === 0) this.reported.delete(eventId);
          else this.reported.set(eventId, count);
          feed.setViewers(Math.max(total, count));
        } catch (error) {
          this.hooks.error(error, 'viewer count failed');
        }
      }),
    );
  }

  /** Closes idle feeds and reseeds those that missed changes (a dropped subscriber connection). */
  private async check(): Promise<void> {
    const now = Date.now();
    for (const [eventId, pending] of this.feeds) {
      try {
        const feed = await pending;
        const idle = this.idleSince.get(eventId);
        if (idle !== undefined && now - idle >= this.options.idleMs && feed.size === 0) {
          this.feeds.delete(eventId);
          this.idleSince.delete(eventId);
          await feed.close();
          continue;
        }
        await this.catchUp(eventId, feed);
      } catch (error) {
        this.hooks.error(error, 'feed check failed');
      }
    }
  }

  private async catchUp(eventId: string, feed: EventFeed): Promise<void> {
    // Read before asking: changes arriving during the call move the head past the answer.
    const head = feed.head;
    // A lost state (Redis restarted empty) is rebuilt by the store here; its new epoch reseeds.
    const position = await this.store.sequence(eventId);
    const { seq } = position;
    const seenBefore = this.behind.get(eventId);
    const missed =
      stale(feed, position, head) || (seenBefore !== undefined && feed.head < seenBefore);
    if (missed) {
      this.behind.delete(eventId);
      await feed.reseed();
    } else if (seq > head) {
      this.behind.set(eventId, seq);
    } else {
      this.behind.delete(eventId);
    }
  }
}

/**
 * The feed mirrors another state than the store's: its snapshot came from another epoch (the
 * reset that said so may have been lost with a subscriber connection), or its head is past the
 * store's sequence. `head` is read before the store was asked.
 */
function stale(feed: EventFeed, position: EventPosition, head: number): boolean {
  const epoch = feed.stateEpoch;
  return (epoch !== undefined && epoch !== position.epoch) || position.seq < head;
}
