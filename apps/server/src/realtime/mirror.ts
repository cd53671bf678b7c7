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

export class SeatMirror {
  private readonly taken = new Map<string, Exclude<SeatStatus, 'AVAILABLE'>>();
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
  }

  /** Applies changes that continue exactly from `seq` (the caller checked contiguity). */
  apply(changes: SeatChangeRecord[]): void {
    for (const change of changes) {
      if (change.status === 'AVAILABLE') this.taken.delete(change.seatId);
      else this.taken.set(change.seatId, change.status);
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
