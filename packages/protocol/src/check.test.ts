import { describe, expect, it } from 'vitest';
import { Order, SeatSnapshot } from './api.js';
import { conforms, firstMismatch } from './check.js';
import { PROTOCOL_VERSION } from './common.js';
import { Problem } from './errors.js';
import { ServerMessage } from './ws.js';

const order = {
  orderId: '0b6f8c7e-93c5-4d0a-9a59-3f1c1f0b9f11',
  eventId: 'arena-demo',
  status: 'CONFIRMED',
  seats: [{ seatId: 'A1', sectionId: 'floor', price: 12_500 }],
  total: 12_500,
  currency: 'USD',
  createdAt: '2030-01-01T20:00:00.000Z',
  tickets: [],
  url: '/orders/0b6f8c7e-93c5-4d0a-9a59-3f1c1f0b9f11?key=k',
};

describe('conforms', () => {
  it('knows the date-time format the schemas use', () => {
    expect(conforms(Order, order)).toBe(true);
    expect(conforms(Order, { ...order, createdAt: 'yesterday' })).toBe(false);
    expect(conforms(Order, { ...order, createdAt: '2030-13-45T99:00:00Z' })).toBe(false);
  });

  it('allows fields a later server may add, and refuses wrong types', () => {
    const snapshot = { eventId: 'e', seq: 3, held: ['A1'], sold: [], mine: [] };
    expect(conforms(SeatSnapshot, { ...snapshot, extra: 1 })).toBe(true);
    expect(conforms(SeatSnapshot, { ...snapshot, seq: '3' })).toBe(false);
    expect(firstMismatch(SeatSnapshot, { ...snapshot, seq: '3' })).toMatch(/^\/seq: /);
  });

  it('reads a problem with or without seats', () => {
    const problem = {
      type: 'https://ticketmain.dev/problems/seat-unavailable',
      title: 'Seat unavailable',
      status: 409,
      detail: 'Seat already held by another user',
      code: 'SEAT_UNAVAILABLE',
    };
    expect(conforms(Problem, problem)).toBe(true);
    expect(conforms(Problem, { ...problem, seats: ['C12'] })).toBe(true);
    expect(conforms(Problem, { ...problem, detail: undefined })).toBe(false);
  });
});

describe('ServerMessage', () => {
  it('is a union tagged by type, hello first', () => {
    const messages = [
      { type: 'hello', protocol: PROTOCOL_VERSION },
      { type: 'snapshot', eventId: 'e', seq: 0, held: [], sold: [] },
      { type: 'seats', eventId: 'e', time: 1, changes: [{ seq: 1, seatId: 'A1', status: 'HELD' }] },
      { type: 'resync', eventId: 'e' },
      { type: 'error', code: 'INVALID_REQUEST', message: 'Messages must be valid JSON' },
    ];
    for (const message of messages) expect(conforms(ServerMessage, message)).toBe(true);
    expect(conforms(ServerMessage, { type: 'hello', protocol: 0 })).toBe(false);
    expect(conforms(ServerMessage, { type: 'hello' })).toBe(false);
    expect(conforms(ServerMessage, { type: 'dance', eventId: 'e' })).toBe(false);
  });
});
