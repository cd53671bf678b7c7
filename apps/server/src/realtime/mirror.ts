// One event's seat states as this replica last saw them: seeded from a snapshot, advanced by the
// published changes in sequence order. WebSocket snapshots are served from here, not from Redis.
import type { SeatStatus } from '@ticketmain/protocol';
import type { SeatChangeRecord } from '../holds/types.js';
import { listsJson, snapshotText } from './messages.js';

export interface MirrorSnapshot {
  seq: number;
  held: string[];
  sold: string[];
}

/** Told of every seat change the mirror applies (best available's row vacancy). */
export interface SeatWatcher {
  /** The state was replaced: `taken` are not AVAILABLE, every other seat is. */
  reset(taken: Iterable<string>): void;
  set(seatId: string, available: boolean): void;
}

/** Watchers kept per mirror: one per seat index, and an event's is rebuilt only on reload. */
const MAX_WATCHERS = 4;

export class SeatMirror {
  private readonly taken = new Map<string, Exclude<SeatStatus, 'AVAILABLE'>>();
  private readonly watchers = new Map<object, SeatWatcher>();
  private cachedFrame: { seq: number; frame: Buffer } | undefined;
  private cachedLists: { seq: number; json: string } | undefined;
  seq = 0;

  /** Replaces the whole state with a snapshot taken at `seq`. */
  seed(snapshot: MirrorSnapshot): void {
    this.taken.clear();
    for (const seatId of snapshot.held) this.taken.set(seatId, 'HELD');
    for (const seatId of snapshot.sold) this.taken.set(seatId, 'SOLD');
    this.seq = snapshot.seq;
    this.cachedFrame = undefined;
    this.cachedLists = undefined;
    for (const watcher of this.watchers.values()) watcher.reset(this.taken.keys());
  }

  /**
   * The watcher kept under `key` (made and brought to the current state the first time), told of
   * every change from then on. The oldest is let go past MAX_WATCHERS.
   */
  watcher<T extends SeatWatcher>(key: object, make: () => T): T {
    let watcher = this.watchers.get(key) as T | undefined;
    if (watcher === undefined) {
      watcher = make();
      watcher.reset(this.taken.keys());
      this.watchers.set(key, watcher);
      const oldest = this.watchers.keys().next().value;
      if (this.watchers.size > MAX_WATCHERS && oldest !== undefined) this.watchers.delete(oldest);
    }
    return watcher;
  }

  /** Applies changes that continue exactly from `seq` (the caller checked contiguity). */
  apply(changes: SeatChangeRecord[]): void {
    for (const change of changes) {
      if (change.status === 'AVAILABLE') this.taken.delete(change.seatId);
      else this.taken.set(change.seatId, change.status);
      const available = change.status === 'AVAILABLE';
      for (const watcher of this.watchers.values()) watcher.set(change.seatId, available);
      this.seq = change.seq;
    }
  }

  status(seatId: string): SeatStatus {
    return this.taken.get(seatId) ?? 'AVAILABLE';
  }

  snapshot(): MirrorSnapshot {
    const held: string[] = [];
    const sold: string[] = [];
    for (const [seatId, status] of this.taken) (status === 'HELD' ? held : sold).push(seatId);
    return { seq: this.seq, held, sold };
  }

  /**
   * `"seq":…,"held":[…],"sold":[…]`, serialised once per sequence number however many clients
   * ask: the WebSocket snapshot and the HTTP seat snapshot are both built around it.
   */
  listsJson(): { seq: number; json: string } {
    if (this.cachedLists?.seq !== this.seq) {
      const snapshot = this.snapshot();
      this.cachedLists = { seq: snapshot.seq, json: listsJson(snapshot) };
    }
    return this.cachedLists;
  }

  /**
   * The snapshot message, serialised once per sequence number however many clients join; one
   * Buffer that every socket writes, so a crowd joining shares its memory too.
   */
  snapshotFrame(eventId: string): Buffer {
    if (this.cachedFrame?.seq !== this.seq) {
      const text = snapshotText(eventId, this.listsJson().json);
      this.cachedFrame = { seq: this.seq, frame: Buffer.from(text) };
    }
    return this.cachedFrame.frame;
  }
}
