import { describe, expect, it } from 'vitest';
import type { EventDetail } from '@ticketmain/protocol';
import { change, EVENT_ID, smallEvent } from '../testing/fixtures';
import {
  allExpiries,
  areaAccessibleName,
  clampQuantity,
  placeGroups,
  placesLeftText,
  placesUnavailableMessage,
  stepperBounds,
  stepperLimitText,
} from './ga';
import { initialLiveState, reduceLive, type LiveAction, type LiveState } from './live';
import { buildVenue } from './venue';

function gaEvent(): EventDetail {
  const event = smallEvent();
  return {
    ...event,
    sections: [
      ...event.sections,
      {
        id: 'floor',
        name: 'Standing floor',
        price: 4_500,
        kind: 'ga',
        capacity: 2_000,
        area: { x: 0, y: 40, width: 30, height: 20 },
      },
    ],
  };
}

const venue = buildVenue(gaEvent());
const floor = venue.areas[0]!;
const T = '2030-01-01T20:05:00.000Z';

function run(...actions: LiveAction[]): LiveState {
  return actions.reduce(reduceLive, initialLiveState(venue));
}

const ga = (available: number) => [{ sectionId: 'floor', capacity: 2_000, available }];
const snap = (seq: number, available: number): LiveAction => ({
  type: 'snapshot',
  message: { type: 'snapshot', eventId: EVENT_ID, seq, held: [], sold: [], ga: ga(available) },
});
const area = (seq: number, available: number) => ({ seq, sectionId: 'floor', available });
const frame = (...changes: ReturnType<typeof area | typeof change>[]): LiveAction => ({
  type: 'seats',
  message: { type: 'seats', eventId: EVENT_ID, changes },
});

describe('the venue', () => {
  it('lists general-admission areas and fits them in its bounds', () => {
    expect(venue.areas).toEqual([
      {
        id: 'floor',
        name: 'Standing floor',
        price: 4_500,
        capacity: 2_000,
        x: 0,
        y: 40,
        width: 30,
        height: 20,
      },
    ]);
    expect(venue.bounds.maxY).toBe(60);
    expect(venue.count).toBe(12);
  });
});

describe('area labels', () => {
  it('says the places left, grouped, singular, or sold out', () => {
    expect(placesLeftText(1_204)).toBe('1,204 places left');
    expect(placesLeftText(1)).toBe('1 place left');
    expect(placesLeftText(0)).toBe('Sold out');
  });

  it('names the area with its price and places left', () => {
    expect(areaAccessibleName(floor, 1_204, 'USD')).toBe('Standing floor, $45, 1,204 places left');
    expect(areaAccessibleName(floor, 0, 'USD')).toBe('Standing floor, $45, sold out');
  });
});

describe('the stepper', () => {
  it('is bounded by the session limit less what it holds, and by the places left', () => {
    expect(stepperBounds(6, 0, 2_000)).toEqual({ min: 1, max: 6 });
    expect(stepperBounds(6, 4, 2_000)).toEqual({ min: 1, max: 2 });
    expect(stepperBounds(6, 0, 3)).toEqual({ min: 1, max: 3 });
    expect(stepperBounds(6, 6, 100)).toEqual({ min: 0, max: 0 });
    expect(stepperBounds(6, 0, 0)).toEqual({ min: 0, max: 0 });
  });

  it('clamps what is typed into the bounds', () => {
    const bounds = { min: 1, max: 4 };
    expect(clampQuantity(9, bounds)).toBe(4);
    expect(clampQuantity(0, bounds)).toBe(1);
    expect(clampQuantity(2.6, bounds)).toBe(3);
    expect(clampQuantity(Number.NaN, bounds)).toBe(1);
  });

  it('says why it stops', () => {
    expect(stepperLimitText(stepperBounds(6, 0, 2), 6, 0, 2)).toBe('2 places left.');
    expect(stepperLimitText(stepperBounds(6, 6, 50), 6, 6, 50)).toBe(
      'You hold 6 already, the most one buyer may.',
    );
    expect(stepperLimitText(stepperBounds(6, 0, 0), 6, 0, 0)).toBe('This area is sold out.');
    expect(stepperLimitText(stepperBounds(6, 0, 50), 6, 0, 50)).toBe('Up to 6 per buyer.');
  });
});

describe('area changes in sequence', () => {
  it('starts at the capacity and takes the snapshot', () => {
    expect(run().areas.get('floor')).toBeUndefined();
    expect(run(snap(3, 1_500)).areas.get('floor')).toBe(1_500);
  });

  it('applies area changes between seat changes, each with its own number', () => {
    const state = run(
      snap(3, 1_500),
      frame(area(4, 1_498), change(5, 'A1', 'HELD')),
      frame(area(6, 1_497)),
    );
    expect(state.seq).toBe(6);
    expect(state.areas.get('floor')).toBe(1_497);
  });

  it('skips changes already applied and stops at a gap until the next snapshot', () => {
    const state = run(snap(3, 1_500), frame(area(3, 1), area(4, 1_490)), frame(area(6, 1_480)));
    expect(state.areas.get('floor')).toBe(1_490);
    expect(state.needsResync).toBe(true);
    const after = reduceLive(state, snap(9, 1_470));
    expect(after.areas.get('floor')).toBe(1_470);
    expect(reduceLive(after, frame(area(10, 1_460))).areas.get('floor')).toBe(1_460);
  });

  it('takes the places left and my places from the REST snapshot', () => {
    const state = run({
      type: 'restSnapshot',
      snapshot: {
        eventId: EVENT_ID,
        seq: 2,
        held: [],
        sold: [],
        // GET /seats names no section: a place id is `<sectionId>.<n>`.
        mine: [
          { seatId: 'floor.7', expiresAt: T },
          { seatId: 'floor.9', expiresAt: T },
          { seatId: 'elsewhere.1', expiresAt: T },
        ],
        ga: ga(1_998),
      },
    });
    expect(state.areas.get('floor')).toBe(1_998);
    expect([...state.places.keys()]).toEqual(['floor.7', 'floor.9']);
    expect(state.places.get('floor.7')?.sectionId).toBe('floor');
  });
});

describe('held places', () => {
  const held = run({
    type: 'holdConfirmed',
    holds: [
      { seatId: 'p1', sectionId: 'floor', expiresAt: T },
      { seatId: 'p2', sectionId: 'floor', expiresAt: '2030-01-01T20:04:00.000Z' },
    ],
  });

  it('go into the cart as one line per area', () => {
    const [group, ...rest] = placeGroups(venue, held.places);
    expect(rest).toEqual([]);
    expect(group).toMatchObject({
      label: 'Standing floor × 2',
      placeIds: ['p1', 'p2'],
      price: 4_500,
      expiresAt: Date.parse('2030-01-01T20:04:00.000Z'),
    });
    expect(Math.min(...allExpiries(held.mine, held.places).values())).toBe(group?.expiresAt);
  });

  it('keep their area when an extension names none', () => {
    const later = '2030-01-01T20:15:00.000Z';
    const state = reduceLive(held, {
      type: 'holdConfirmed',
      holds: [{ seatId: 'p1', expiresAt: later }],
    });
    expect(state.places.get('p1')).toEqual({ sectionId: 'floor', expiresAt: Date.parse(later) });
  });

  it('leave with a release, an order, or a lost checkout', () => {
    expect(reduceLive(held, { type: 'placesDropped', placeIds: ['p1'] }).places.size).toBe(1);
    expect(reduceLive(held, { type: 'orderPlaced', seatIds: ['p1', 'p2'] }).places.size).toBe(0);
    const failed = reduceLive(held, {
      type: 'checkoutFailed',
      seatIds: ['p1', 'p2'],
      lost: ['p2'],
    });
    expect([...failed.places.keys()]).toEqual(['p1']);
  });
});

describe('a refusal naming areas', () => {
  it('says how many places are left', () => {
    const one = new Map([['floor', 1]]);
    expect(placesUnavailableMessage(venue, ['floor'], one)).toBe(
      'Only 1 place left in Standing floor.',
    );
    expect(placesUnavailableMessage(venue, ['floor'], new Map([['floor', 0]]))).toBe(
      'Standing floor is sold out.',
    );
    expect(placesUnavailableMessage(venue, ['nope'], one)).toBe('Not enough places are left.');
  });
});
