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
      ga: [],
    });
    mirror.apply([{ seq: 2, seatId: 'A1', status: 'SOLD' }]);
    expect(JSON.parse(mirror.snapshotFrame('ev').toString())).toMatchObject({
      seq: 2,
      held: [],
      sold: ['A1'],
    });
  });

  it('counts GA places by section and sends their changes as area changes', () => {
    const shape = {
      capacities: new Map([['floor', 3]]),
      sectionOf: (id: string) => (id.startsWith('floor.') ? 'floor' : undefined),
    };
    const mirror = new SeatMirror(shape);
    mirror.seed({ seq: 1, held: ['floor.1', 'A1'], sold: [] });
    const out = mirror.apply([
      { seq: 2, seatId: 'floor.2', status: 'HELD' },
      { seq: 3, seatId: 'A2', status: 'HELD' },
      { seq: 4, seatId: 'floor.1', status: 'SOLD' },
      { seq: 5, seatId: 'floor.2', status: 'AVAILABLE' },
    ]);
    expect(out).toEqual([
      { seq: 2, sectionId: 'floor', available: 1 },
      { seq: 3, seatId: 'A2', status: 'HELD' },
      { seq: 4, sectionId: 'floor', available: 1 },
      { seq: 5, sectionId: 'floor', available: 2 },
    ]);
    expect(JSON.parse(mirror.snapshotFrame('ev').toString())).toEqual({
      type: 'snapshot',
      eventId: 'ev',
      seq: 5,
      held: ['A1', 'A2'],
      sold: [],
      ga: [{ sectionId: 'floor', capacity: 3, available: 2 }],
    });
  });
});
