// The changes of one event that some live subscriber (or the mirror) does not have yet, and the
// frames built from them: a subscriber last sent sequence number s is sent one frame of every
// change after s, serialised and framed once for all the subscribers at s.
import type { FeedChange } from '@ticketmain/protocol';
import { seatsText } from './messages.js';
import { textFrame, type TextFrame } from './wire.js';

export interface SeatsFrame {
  /** The sequence number of its last change. */
  last: number;
  /** The store's clock at its first change. */
  time: number;
  text: TextFrame;
}

export class ChangeLog {
  /** The sequence number just before the first change kept. */
  private base = 0;
  private changes: FeedChange[] = [];
  /** Per change: the store's clock at it (its batch's), and when it reached this replica. */
  private times: number[] = [];
  private arrivals: number[] = [];
  /** The frames to the head, by the sequence number they follow on from. */
  private readonly frames = new Map<number, SeatsFrame>();

  constructor(private readonly eventId: string) {}

  /** The sequence number of the last change known. */
  get head(): number {
    return this.base + this.changes.length;
  }

  /** When the oldest change kept reached this replica; undefined when none is kept. */
  get oldestArrival(): number | undefined {
    return this.arrivals[0];
  }

  /** Starts again from a snapshot taken at `seq`. */
  startAt(seq: number): void {
    this.base = seq;
    this.changes = [];
    this.times = [];
    this.arrivals = [];
    this.frames.clear();
  }

  /** Appends changes that continue exactly from the head (the caller checked contiguity). */
  append(changes: readonly FeedChange[], time: number, arrived: number): void {
    for (const change of changes) {
      this.changes.push(change);
      this.times.push(time);
      this.arrivals.push(arrived);
    }
    this.frames.clear();
  }

  /** The changes after `seq`, which must be kept (`seq` ≥ what was trimmed). */
  since(seq: number): FeedChange[] {
    return this.changes.slice(seq - this.base);
  }

  /** The frame of every change after `seq`; undefined when those are no longer all kept. */
  frameAfter(seq: number): SeatsFrame | undefined {
    if (seq < this.base || seq >= this.head) return undefined;
    let frame = this.frames.get(seq);
    if (frame === undefined) {
      const first = seq - this.base;
      const time = this.times[first]!;
      const changes = this.changes.slice(first);
      const text = seatsText(this.eventId, time, changes);
      frame = { last: this.head, time, text: textFrame(text) };
      this.frames.set(seq, frame);
    }
    return frame;
  }

  /** Forgets the changes up to `seq`: everyone who needs them has them. */
  trim(seq: number): void {
    const count = Math.min(seq - this.base, this.changes.length);
    if (count <= 0) return;
    this.changes.splice(0, count);
    this.times.splice(0, count);
    this.arrivals.splice(0, count);
    this.base += count;
    for (const from of this.frames.keys()) if (from < this.base) this.frames.delete(from);
  }
}
