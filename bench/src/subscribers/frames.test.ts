// The cheap frame reader must agree with a full parse on every frame the server writes, and fall
// back to parsing when a frame is laid out otherwise.
import { PROTOCOL_VERSION, type HelloMessage, type ViewersMessage } from '@ticketmain/protocol';
import { describe, expect, it } from 'vitest';
import { parseFull, readerStats, readFrame } from './frames.js';
import { LatencyHistogram } from './histogram.js';

const frame = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('readFrame', () => {
  it('reads time and the first and last seq of a seats frame', () => {
    const changes = [
      { seq: 41, seatId: 'A-R01-01', status: 'HELD' },
      { seq: 42, seatId: 'A-R01-02', status: 'SOLD' },
      { seq: 43, seatId: 'B.7_x', status: 'AVAILABLE' },
    ];
    const data = frame({ type: 'seats', eventId: 'arena-demo', time: 1764000000123, changes });
    expect(readFrame(data)).toEqual({
      kind: 'seats',
      time: 1764000000123,
      firstSeq: 41,
      lastSeq: 43,
    });
  });

  it('reads a one-change frame and one without a time', () => {
    const changes = [{ seq: 7, seatId: 's', status: 'HELD' }];
    expect(readFrame(frame({ type: 'seats', eventId: 'e', changes }))).toEqual({
      kind: 'seats',
      time: undefined,
      firstSeq: 7,
      lastSeq: 7,
    });
  });

  it('reads the seq of a snapshot, and knows resync and error frames', () => {
    const snapshot = { type: 'snapshot', eventId: 'e', seq: 1200, held: ['a'], sold: ['b', 'c'] };
    expect(readFrame(frame(snapshot))).toEqual({ kind: 'snapshot', seq: 1200 });
    expect(readFrame(frame({ type: 'resync', eventId: 'e' }))).toEqual({ kind: 'resync' });
    expect(readFrame(frame({ type: 'error', code: 'X', message: 'm' }))).toEqual({
      kind: 'error',
    });
  });

  it('reads the hello without a full parse', () => {
    const hello: HelloMessage = { type: 'hello', protocol: PROTOCOL_VERSION };
    const slowReads = readerStats.slowReads;
    expect(readFrame(frame(hello))).toEqual({ kind: 'hello', protocol: PROTOCOL_VERSION });
    expect(readerStats.slowReads).toBe(slowReads);
    expect(readFrame(frame({ protocol: 7, type: 'hello' }))).toEqual({
      kind: 'hello',
      protocol: 7,
    });
    expect(parseFull(JSON.stringify(hello))).toEqual({ type: 'other' });
  });

  it('knows a viewers frame without a full parse', () => {
    const slowReads = readerStats.slowReads;
    const viewers: ViewersMessage = { type: 'viewers', eventId: 'e', count: 12 };
    expect(readFrame(frame(viewers))).toEqual({ kind: 'viewers' });
    expect(readerStats.slowReads).toBe(slowReads);
    expect(readFrame(frame({ count: 3, type: 'viewers' }))).toEqual({ kind: 'viewers' });
  });

  it('falls back to a full parse when the keys come in another order', () => {
    const data = frame({ changes: [{ seq: 3 }, { seq: 4 }], time: 5, type: 'seats' });
    expect(readFrame(data)).toEqual({ kind: 'seats', time: 5, firstSeq: 3, lastSeq: 4 });
    expect(readFrame(Buffer.from('not json'))).toEqual({ kind: 'unknown' });
  });
});

describe('parseFull', () => {
  it('keeps the changes of a seats frame, and refuses a status the protocol does not have', () => {
    const changes = [{ seq: 3, seatId: 'A1', status: 'SOLD' }];
    const text = (status: string) =>
      JSON.stringify({
        type: 'seats',
        eventId: 'e',
        changes: [...changes, { seq: 4, seatId: 'A2', status }],
      });
    expect(parseFull(text('HELD'))).toEqual({
      type: 'seats',
      changes: [...changes, { seq: 4, seatId: 'A2', status: 'HELD' }],
    });
    expect(parseFull(text('PENDING'))).toEqual({ type: 'other' });
  });
});

describe('LatencyHistogram', () => {
  it('gives nearest-rank percentiles in whole ms and clamps the extremes', () => {
    const h = new LatencyHistogram();
    for (let ms = 1; ms <= 100; ms++) h.add(ms);
    h.add(-3);
    h.add(50_000);
    expect(h.total).toBe(102);
    expect(h.percentile(50)).toBe(50);
    expect(h.percentile(99)).toBe(100);
    expect(h.percentile(100)).toBe(10_000);
    const merged = new LatencyHistogram();
    merged.merge(h.counts);
    expect(merged.percentile(50)).toBe(50);
  });
});
