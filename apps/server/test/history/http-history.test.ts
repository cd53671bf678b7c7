// HTTP answers spelled as the seat model's outputs.
import { describe, expect, it } from 'vitest';
import { SEAT_HELD_MESSAGE, SEAT_SOLD_MESSAGE } from '../../src/domain/errors.js';
import type { Reply } from '../support/client.js';
import { outputOf } from './http-history.js';
import { ANSWER, UNKNOWN, type SeatCall } from './seat-model.js';

const reply = (status: number, body: unknown): Reply<unknown> => ({
  status,
  body,
  contentType: 'application/json',
  headers: new Headers(),
});
const hold: SeatCall = { kind: 'hold', session: 's1', seat: 'B1' };
const snapshot: SeatCall = { kind: 'snapshot', session: 's1', seats: ['B1', 'B2', 'B3', 'B4'] };

describe('answers as the model spells them', () => {
  it('a status, its code, and for SEAT_UNAVAILABLE whether the seat was sold or held', () => {
    expect(outputOf(hold, reply(201, { holds: [] }))).toBe(ANSWER.created);
    expect(outputOf(hold, reply(204, ''))).toBe(ANSWER.released);
    const unavailable = (detail: string) =>
      reply(409, { code: 'SEAT_UNAVAILABLE', detail, seats: ['B1'] });
    expect(outputOf(hold, unavailable(SEAT_SOLD_MESSAGE))).toBe(ANSWER.soldAlready);
    expect(outputOf(hold, unavailable(SEAT_HELD_MESSAGE))).toBe(ANSWER.heldByOther);
    expect(outputOf(hold, reply(409, { code: 'CHECKOUT_IN_PROGRESS' }))).toBe(ANSWER.inCheckout);
    expect(outputOf(hold, reply(422, { code: 'HOLD_LIMIT' }))).toBe('422 HOLD_LIMIT');
  });

  it('a 5xx is an unknown outcome', () => {
    expect(outputOf(hold, reply(503, { code: 'UNAVAILABLE' }))).toBe(UNKNOWN);
    expect(outputOf(snapshot, reply(500, { code: 'INTERNAL' }))).toBe(UNKNOWN);
  });

  it('a snapshot as one view per seat, keeping a combination no state shows', () => {
    const body = {
      eventId: 'e',
      seq: 9,
      held: ['B1', 'B2'],
      sold: ['B3', 'B4'],
      mine: [
        { seatId: 'B1', expiresAt: '' },
        { seatId: 'B4', expiresAt: '' },
      ],
    };
    expect(outputOf(snapshot, reply(200, body))).toEqual({
      views: { B1: 'MINE', B2: 'HELD', B3: 'SOLD', B4: 'IN mine+sold' },
    });
    expect(outputOf(snapshot, reply(401, { code: 'UNAUTHENTICATED' }))).toBe('401 UNAUTHENTICATED');
  });
});
