import { describe, expect, it } from 'vitest';
import { parseServerMessage } from './messages';

describe('parseServerMessage', () => {
  it('accepts each message of the protocol', () => {
    const frames = [
      { type: 'hello', protocol: 1 },
      { type: 'snapshot', eventId: 'e', seq: 0, held: ['A1'], sold: [] },
      { type: 'seats', eventId: 'e', time: 1, changes: [{ seq: 1, seatId: 'A1', status: 'SOLD' }] },
      { type: 'resync', eventId: 'e' },
      { type: 'error', code: 'INVALID_REQUEST', message: 'bad' },
    ];
    for (const frame of frames) expect(parseServerMessage(JSON.stringify(frame))).toEqual(frame);
  });

  it('rejects what is not a well-formed message', () => {
    const bad = [
      'not json',
      '[]',
      JSON.stringify({ type: 'hello' }),
      JSON.stringify({ type: 'welcome', eventId: 'e' }),
      JSON.stringify({ type: 'snapshot', eventId: 'e', seq: -1, held: [], sold: [] }),
      JSON.stringify({ type: 'snapshot', eventId: 'bad id!', seq: 1, held: [], sold: [] }),
      JSON.stringify({ type: 'error', code: 'INVALID_REQUEST' }),
      JSON.stringify({ type: 'snapshot', eventId: 'e', seq: '1', held: [], sold: [] }),
      JSON.stringify({
        type: 'seats',
        eventId: 'e',
        changes: [{ seq: 1, seatId: 'A1', status: 'GONE' }],
      }),
      JSON.stringify({ type: 'resync' }),
    ];
    for (const frame of bad) expect(parseServerMessage(frame)).toBeNull();
    expect(parseServerMessage(new Uint8Array([1]))).toBeNull();
  });
});
