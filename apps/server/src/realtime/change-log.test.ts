import { describe, expect, it } from 'vitest';
import type { SeatChangeRecord } from '../holds/types.js';
import { ChangeLog } from './change-log.js';

const held = (seq: number): SeatChangeRecord => ({ seq, seatId: `S${seq}`, status: 'HELD' });

function message(log: ChangeLog, seq: number) {
  const frame = log.frameAfter(seq);
  if (frame === undefined) return undefined;
  const parsed = JSON.parse(frame.text.payload.toString()) as {
    time: number;
    changes: SeatChangeRecord[];
  };
  return { last: frame.last, time: parsed.time, seqs: parsed.changes.map((c) => c.seq) };
}

describe('ChangeLog', () => {
  it('frames every change after a sequence number, with the store time of the first', () => {
    const log = new ChangeLog('ev');
    log.startAt(10);
    log.append([held(11), held(12)], 1_000, 5);
    log.append([held(13)], 2_000, 6);
    expect(log.head).toBe(13);
    expect(message(log, 10)).toEqual({ last: 13, time: 1_000, seqs: [11, 12, 13] });
    expect(message(log, 12)).toEqual({ last: 13, time: 2_000, seqs: [13] });
    expect(log.frameAfter(13)).toBeUndefined(); // nothing new
    expect(log.frameAfter(9)).toBeUndefined(); // before the snapshot
  });

  it('builds each frame once until the head moves', () => {
    const log = new ChangeLog('ev');
    log.append([held(1)], 1, 1);
    expect(log.frameAfter(0)).toBe(log.frameAfter(0));
    const before = log.frameAfter(0);
    log.append([held(2)], 2, 2);
    expect(log.frameAfter(0)).not.toBe(before);
    expect(message(log, 0)?.seqs).toEqual([1, 2]);
  });

  it('forgets what everyone has, and knows when the oldest change kept arrived', () => {
    const log = new ChangeLog('ev');
    log.append([held(1), held(2)], 1, 100);
    log.append([held(3)], 2, 200);
    expect(log.oldestArrival).toBe(100);
    log.trim(2);
    expect(log.oldestArrival).toBe(200);
    expect(log.frameAfter(1)).toBeUndefined(); // no longer kept: that subscriber must resync
    expect(message(log, 2)?.seqs).toEqual([3]);
    expect(log.since(2)).toEqual([held(3)]);
    log.trim(3);
    expect(log.oldestArrival).toBeUndefined();
    expect(log.head).toBe(3);
  });
});
