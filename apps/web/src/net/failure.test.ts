import { ApiError, MalformedResponse, NetworkError } from '@ticketmain/client';
import { describe, expect, it } from 'vitest';
import { describeFailure } from './failure';

describe('describeFailure', () => {
  it('keeps a refusal: status, code, sentence and seats', () => {
    const error = new ApiError(409, {
      type: 'https://ticketmain.dev/problems/seat-sold',
      title: 'Seat sold',
      status: 409,
      detail: 'Seat already sold',
      code: 'SEAT_SOLD',
      seats: ['A1'],
    });
    expect(describeFailure(error)).toEqual({
      status: 409,
      code: 'SEAT_SOLD',
      detail: 'Seat already sold',
      seats: ['A1'],
    });
  });

  it('an unanswered or unreadable call has no status: its outcome is unknown', () => {
    expect(describeFailure(new NetworkError({ cause: new TypeError('fetch failed') }))).toEqual({
      status: null,
      code: 'NETWORK',
      detail: 'The server could not be reached. Check your connection.',
      seats: [],
    });
    expect(
      describeFailure(new MalformedResponse('order', 201, '/total: Expected integer')),
    ).toEqual({
      status: null,
      code: 'CLIENT',
      detail: 'The server sent a malformed order',
      seats: [],
    });
    expect(describeFailure('?')).toMatchObject({ status: null, detail: 'Something went wrong.' });
  });
});
