// One event's seat states as this replica last saw them: seeded from a snapshot, advanced by the
// published changes in sequence order. WebSocket snapshots are served from here, not from Redis.
import { isSeatChange, type FeedChange, type SeatStatus } from '@ticketmain/protocol';
import type { SeatChangeRecord } from '../holds/types.js';
import { listsJson, NO_GA, snapshotText, type GaShape } from './messages.js';

export interface MirrorSnapshot {
  seq: number;
  held: string[];
  sold: string[];
}

export class SeatMirror {
  private readonly taken = new Map<string, Exclude<SeatStatus, 'AVAILABLE'>>();
  private cachedFrame: { seq: number; frame: Buffer } | undefined;
  private cachedLists: { seq: number; json: string } | undefined;
  /** GA sectionId → its places held or sold. */
  private readonly placesTaken = new Map<string, number>();
  seq = 0;

  constructor(private readonly shape: GaShape = NO_GA) {}

  /** Replaces the whole state with a snapshot taken at `seq`. */
  seed(snapshot: MirrorSnapshot): void {
    this.taken.clear();
    this.placesTaken.clear();
    for (const seatId of snapshot.held) this.set(seatId, 'HELD');
    for (const seatId of snapshot.sold) this.set(seatId, 'SOLD');
    this.seq = snapshot.seq;
    this.cachedFrame = undefined;
    this.cachedLists = undefined;
  }

  /**
   * Applies changes that continue exactly from `seq` (the caller checked contiguity). Returns
   * them as subscribers get them: a GA place's change becomes its section's count of places
   * left, with the same sequence number (API.md: each area change takes one number).
   */
  apply(changes: readonly (SeatChangeRecord | FeedChange)[]): FeedChange[] {
    const out: FeedChange[] = [];
    for (const change of changes) {
      this.seq = change.seq;
      if (!isSeatChange(change)) {
        out.push(change);
        continue;
      }
      const sectionId = this.set(change.seatId, change.status);
      out.push(
        sectionId === undefined
          ? change
          : { seq: change.seq, sectionId, available: this.available(sectionId) },
      );
    }
    return out;
  }

  /** A GA section's places neither held nor sold. */
  available(sectionId: string): number {
    const capacity = this.shape.capacities.get(sectionId) ?? 0;
    return Math.max(0, capacity - (this.placesTaken.get(sectionId) ?? 0));
  }

  /** Sets one seat's or place's status; returns the place's section (undefined for a seat). */
  private set(seatId: string, status: SeatStatus): string | undefined {
    const sectionId = this.shape.sectionOf(seatId);
    const was = this.taken.has(seatId);
    if (status === 'AVAILABLE') this.taken.delete(seatId);
    else this.taken.set(seatId, status);
    if (sectionId !== undefined) {
      const delta = (status === 'AVAILABLE' ? 0 : 1) - (was ? 1 : 0);
      if (delta !== 0) {
        this.placesTaken.set(sectionId, (this.placesTaken.get(sectionId) ?? 0) + delta);
      }
    }
    return sectionId;
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
      this.cachedLists = { seq: snapshot.seq, json: listsJson(snapshot, this.shape) };
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
