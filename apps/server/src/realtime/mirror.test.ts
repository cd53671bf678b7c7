import { describe, expect, it } from 'vitest';
import { SeatMirror } from './mirror.js';

describe('SeatMirror', () => {
  it('seeds from a snapshot and advances by changes', () => {
    const mirror = new SeatMirror();
    mirror.seed({ seq: 4, held: ['A1'], sold: ['A2'] });
    mirror.apply([
      { seq: 5, seatId: 'A1', status: 'AVAILABLE' },
      { seq: 6, seatId: 'A3', status: 'HELD' },
      { seq: 7, seatId: 'A3', status: 'SOLD' },
    ]);
    expect(mirror.seq).toBe(7);
    expect(mirror.status('A1')).toBe('AVAILABLE');
    expect(mirror.snapshot()).toEqual({ seq: 7, held: [], sold: ['A2', 'A3'] });
  });

  it('a new seed replaces everything', () => {
    const mirror = new SeatMirror();
    mirror.seed({ seq: 9, held: ['A1'], sold: [] });
    mirror.seed({ seq: 1, held: [], sold: ['B1'] });
    expect(mirror.snapshot()).toEqual({ seq: 1, held: [], sold: ['B1'] });
  });

  it('serialises the snapshot frame once per sequence number', () => {
    const mirror = new SeatMirror();
    mirror.seed({ seq: 1, held: ['A1'], sold: [] });
    const first = mirror.snapshotFrame('ev');
    expect(mirror.snapshotFrame('ev')).toBe(first);
    expect(JSON.parse(first.toString())).toEqual({
      type: 'snapshot',
      eventId: 'ev',
      seq: 1,
      held: ['A1'],
      sold: [],
    });
    mirror.apply([{ seq: 2, seatId: 'A1', status: 'SOLD' }]);
    expect(JSON.parse(mirror.snapshotFrame('ev').toString())).toMatchObject({
      seq: 2,
      held: [],
      sold: ['A1'],
    });
  });
});
