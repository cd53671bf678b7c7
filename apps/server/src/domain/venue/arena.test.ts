import { describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { ID_PATTERN, VenueLayout } from '@ticketmain/protocol';
import { DEMO_EVENT, demoArena, rowLabel } from './arena.js';
import { indexLayout, validateLayout } from './layout.js';

describe('demoArena', () => {
  const layout = demoArena();
  const index = indexLayout(layout);

  it('is schema-valid and passes the layout rules', () => {
    expect(Value.Check(VenueLayout, layout)).toBe(true);
    expect(validateLayout(layout)).toEqual([]);
  });

  it('has 900 seats with unique, well-formed ids like C12', () => {
    expect(index.seatCount).toBe(900);
    expect(new Set(index.seats.map((seat) => seat.id)).size).toBe(900);
    const pattern = new RegExp(ID_PATTERN);
    for (const seat of index.seats) {
      expect(seat.id).toMatch(pattern);
      expect(seat.id).toBe(`${seat.row}${seat.number}`);
    }
    expect(index.seatById.get('C12')?.sectionId).toBe('vip-centre');
  });

  it('has the four sections at their prices', () => {
    expect(index.sections).toEqual([
      { id: 'vip-centre', name: 'VIP Centre', price: 50_000, kind: 'seated' },
      { id: 'vip-wings', name: 'VIP Wings', price: 50_000, kind: 'seated' },
      { id: 'premium', name: 'Premium', price: 25_000, kind: 'seated' },
      { id: 'standard', name: 'Standard', price: 10_000, kind: 'seated' },
    ]);
  });

  it('puts 30 seats numbered 1 to 30 in each of rows A to AD', () => {
    const rows = new Map<string, number[]>();
    for (const seat of index.seats)
      rows.set(seat.row, [...(rows.get(seat.row) ?? []), seat.number]);
    expect([...rows.keys()]).toHaveLength(30);
    expect(rows.has('A') && rows.has('Z') && rows.has('AD')).toBe(true);
    for (const numbers of rows.values()) {
      expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    }
  });

  it('places the VIP blocks in the front rows, wings either side of the centre', () => {
    const section = (id: string) => index.seatById.get(id)?.sectionId;
    expect([section('A1'), section('A8'), section('A9'), section('A22'), section('A23')]).toEqual([
      'vip-wings',
      'vip-wings',
      'vip-centre',
      'vip-centre',
      'vip-wings',
    ]);
    expect([
      section('E30'),
      section('F1'),
      section('O15'),
      section('P15'),
      section('AD30'),
    ]).toEqual(['vip-wings', 'premium', 'premium', 'standard', 'standard']);
  });

  it('draws seats left to right, behind the stage, with aisles between blocks', () => {
    const x = (id: string) => index.seatById.get(id)!.x;
    const stageBottom = layout.stage.y + layout.stage.height;
    expect(index.seats.every((seat) => seat.y > stageBottom)).toBe(true);
    expect(x('A2') - x('A1')).toBeLessThan(x('A9') - x('A8'));
    expect(x('A23') - x('A22')).toBe(x('A9') - x('A8'));
    expect(x('A30')).toBeGreaterThan(x('A1'));
  });
});

describe('rowLabel', () => {
  it('counts like spreadsheet columns', () => {
    expect([0, 1, 25, 26, 29, 51, 52].map(rowLabel)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AD',
      'AZ',
      'BA',
    ]);
  });
});

describe('DEMO_EVENT', () => {
  it('is the arena-demo event in USD, in the future', () => {
    expect(DEMO_EVENT.id).toBe('arena-demo');
    expect(DEMO_EVENT.currency).toBe('USD');
    expect(Date.parse(DEMO_EVENT.startsAt)).toBeGreaterThan(Date.parse('2026-01-01T00:00:00Z'));
    expect(demoArena().name).toBe(DEMO_EVENT.venueName);
  });
});
