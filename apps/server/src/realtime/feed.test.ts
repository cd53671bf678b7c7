import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChangeBatch } from '../holds/types.js';
import { EventFeed, type Subscriber } from './feed.js';
import type { MirrorSnapshot } from './mirror.js';
import type { TextFrame } from './wire.js';

class FakeSubscriber implements Subscriber {
  bufferedAmount = 0;
  readonly frames: { type: string; seq?: number; changes?: { seq: number }[] }[] = [];
  /** When each frame was sent (Date.now()). */
  readonly sentAt: number[] = [];
  send(frame: Buffer): void {
    this.sentAt.push(Date.now());
    this.frames.push(JSON.parse(frame.toString()) as FakeSubscriber['frames'][number]);
  }
  sendFrame(frame: TextFrame): void {
    this.send(frame.payload);
  }
  /** Every seq received, snapshot bases included, in order. */
  seqs(): number[] {
    return this.frames.flatMap((f) =>
      f.type === 'snapshot' ? [f.seq!] : (f.changes ?? []).map((c) => c.seq),
    );
  }
}

function setup(snapshot: MirrorSnapshot = { seq: 0, held: [], sold: [] }) {
  let listener: (batch: ChangeBatch) => void = () => {};
  let current = snapshot;
  const resyncs: number[] = [];
  const feed = new EventFeed(
    'ev',
    {
      subscribe: async (l) => {
        listener = l;
        return async () => {};
      },
      snapshot: async () => ({ ...current, epoch: 'e1' }),
    },
    { flushIntervalMs: 5, highWaterBytes: 1_000, lowWaterBytes: 100 },
    { framesSent: () => {}, resync: () => resyncs.push(1), lag: () => {}, error: () => {} },
  );
  const publish = (first: number, seats: string[]) =>
    listener({
      kind: 'changes',
      eventId: 'ev',
      time: Date.now(),
      changes: seats.map((seatId, i) => ({ seq: first + i, seatId, status: 'HELD' as const })),
    });
  return { feed, publish, resyncs, setSnapshot: (s: MirrorSnapshot) => (current = s) };
}

const tick = (ms = 20) => sleep(ms);

describe('EventFeed', () => {
  it('coalesces changes into one frame that continues from the snapshot', async () => {
    const { feed, publish } = setup({ seq: 3, held: ['A1'], sold: [] });
    await feed.start();
    const sub = new FakeSubscriber();
    feed.add(sub);
    publish(4, ['A2', 'A3']);
    publish(6, ['A4']);
    await tick();
    expect(sub.frames.map((f) => f.type)).toEqual(['snapshot', 'seats']);
    expect(sub.seqs()).toEqual([3, 4, 5, 6]);
    await feed.close();
  });

  it('ignores a batch it has seen and reseeds on a gap, telling subscribers', async () => {
    const { feed, publish, resyncs, setSnapshot } = setup();
    await feed.start();
    const sub = new FakeSubscriber();
    feed.add(sub);
    publish(1, ['A1']);
    publish(1, ['A1']); // duplicate
    await tick();
    setSnapshot({ seq: 9, held: ['A1', 'B1'], sold: [] });
    publish(9, ['B1']); // 2..8 were missed
    await tick();
    expect(resyncs).toHaveLength(1);
    expect(sub.frames.map((f) => f.type)).toEqual(['snapshot', 'seats', 'resync', 'snapshot']);
    expect(sub.seqs()).toEqual([0, 1, 9]);
    await feed.close();
  });

  it('skips a backed-up subscriber and resyncs it once it drains', async () => {
    const { feed, publish } = setup();
    await feed.start();
    const slow = new FakeSubscriber();
    const fast = new FakeSubscriber();
    feed.add(slow);
    feed.add(fast);
    slow.bufferedAmount = 5_000;
    publish(1, ['A1']);
    publish(2, ['A2']);
    await tick();
    expect(slow.frames.map((f) => f.type)).toEqual(['snapshot']);
    slow.bufferedAmount = 0;
    await tick();
    expect(slow.frames.map((f) => f.type)).toEqual(['snapshot', 'resync', 'snapshot']);
    expect(slow.seqs()).toEqual([0, 2]);
    expect(fast.seqs()).toEqual([0, 1, 2]);
    publish(3, ['A3']);
    await tick();
    expect(slow.seqs()).toEqual([0, 2, 3]);
    await feed.close();
  });

  it('a snapshot asked for while changes are pending is never followed by older changes', async () => {
    const { feed, publish } = setup();
    await feed.start();
    const sub = new FakeSubscriber();
    feed.add(sub);
    publish(1, ['A1']);
    const lists = await feed.listsAt(1, 100); // the mirror takes what is pending
    expect(lists?.seq).toBe(1);
    feed.resend(sub);
    publish(2, ['A2']);
    await tick();
    expect(sub.frames.map((f) => f.type)).toEqual(['snapshot', 'snapshot', 'seats']);
    expect(sub.seqs()).toEqual([0, 1, 2]);
    await feed.close();
  });

  describe('flush timing', () => {
    afterEach(() => vi.useRealTimers());

    it('sends changes that come during a long flush to the sockets it has not written yet', async () => {
      vi.useFakeTimers();
      const { feed, publish } = setup(); // a flush interval of 5 ms
      await feed.start();
      // More sockets than one turn writes, so the flush yields and changes can arrive during it.
      const subs = Array.from({ length: 1_001 }, () => new FakeSubscriber());
      for (const sub of subs) feed.add(sub);
      const [first, last] = [subs[0]!, subs.at(-1)!];
      publish(1, ['A1']);
      await vi.advanceTimersByTimeAsync(5); // the flush starts, and yields after its first turn
      expect(first.seqs()).toEqual([0, 1]);
      expect(last.seqs()).toEqual([0]);
      publish(2, ['A2']);
      vi.setSystemTime(Date.now() + 20); // the rest of the pass takes 20 ms
      await vi.advanceTimersByTimeAsync(20);
      // The last socket got both changes in one frame, in the same pass.
      expect(last.frames.map((f) => f.type)).toEqual(['snapshot', 'seats']);
      expect(last.seqs()).toEqual([0, 1, 2]);
      expect(first.seqs()).toEqual([0, 1, 2]);
      // Change 2 had waited longer than the interval when the pass ended: no further wait.
      expect(first.sentAt[2]! - last.sentAt[1]!).toBeLessThan(5);
      await feed.close();
    });

    it('waits an interval from the first pending change, coalescing those after it', async () => {
      vi.useFakeTimers();
      const { feed, publish } = setup(); // a flush interval of 5 ms
      await feed.start();
      const sub = new FakeSubscriber();
      feed.add(sub);
      publish(1, ['A1']);
      await vi.advanceTimersByTimeAsync(3);
      publish(2, ['A2']);
      await vi.advanceTimersByTimeAsync(1);
      expect(sub.seqs()).toEqual([0]);
      await vi.advanceTimersByTimeAsync(1);
      expect(sub.frames.map((f) => f.type)).toEqual(['snapshot', 'seats']);
      expect(sub.seqs()).toEqual([0, 1, 2]);
      await feed.close();
    });
  });
});
