import { describe, expect, it } from 'vitest';
import { SeatMirror, type SeatWatcher } from './mirror.js';

/** A watcher that keeps the taken seats it was told of. */
function takenWatcher(): SeatWatcher & { taken: Set<string>; resets: number } {
  const taken = new Set<string>();
  const watcher = {
    taken,
    resets: 0,
    reset(seats: Iterable<string>) {
      watcher.resets++;
      taken.clear();
      for (const seatId of seats) taken.add(seatId);
    },
    set(seatId: string, available: boolean) {
      if (available) taken.delete(seatId);
      else taken.add(seatId);
    },
  };
  return watcher;
}

describe('SeatMirror', () => {
  it('brings a watcher to its state, tells it of each change and of each new seed', () => {
    const mirror = new SeatMirror();
    mirror.seed({ seq: 4, held: ['A1'], sold: ['A2'] });
    const key = {};
    const watcher = mirror.watcher(key, takenWatcher);
    expect([...watcher.taken].sort()).toEqual(['A1', 'A2']);
    // The same key gives the same watcher, not a new one.
    expect(mirror.watcher(key, takenWatcher)).toBe(watcher);
    mirror.apply([
      { seq: 5, seatId: 'A1', status: 'AVAILABLE' },
      { seq: 6, seatId: 'A3', status: 'HELD' },
      { seq: 7, seatId: 'A3', status: 'SOLD' },
    ]);
    expect([...watcher.taken].sort()).toEqual(['A2', 'A3']);
    mirror.seed({ seq: 1, held: ['B1'], sold: [] });
    expect([...watcher.taken]).toEqual(['B1']);
    expect(watcher.resets).toBe(2);
  });

  it('keeps a few watchers, letting the oldest go', () => {
    const mirror = new SeatMirror();
    const keys = Array.from({ length: 5 }, () => ({}));
    const first = mirror.watcher(keys[0]!, takenWatcher);
    for (const key of keys.slice(1)) mirror.watcher(key, takenWatcher);
    mirror.apply([{ seq: 1, seatId: 'A1', status: 'HELD' }]);
    expect(first.taken.size).toBe(0);
    expect(mirror.watcher(keys[4]!, takenWatcher).taken).toEqual(new Set(['A1']));
  });

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
