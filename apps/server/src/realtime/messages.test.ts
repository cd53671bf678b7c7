import { conforms, PROTOCOL_VERSION, SeatSnapshot, ServerMessage } from '@ticketmain/protocol';
import { describe, expect, it } from 'vitest';
import {
  errorText,
  helloText,
  listsJson,
  resyncText,
  seatsText,
  snapshotText,
} from './messages.js';

const parse = (text: string): unknown => JSON.parse(text);

describe('WebSocket messages', () => {
  it('are each a ServerMessage of the protocol', () => {
    const texts = [
      helloText(),
      resyncText('ev'),
      errorText('INVALID_REQUEST', 'Messages must be valid JSON'),
      seatsText('ev', 1_700_000_000_000, [{ seq: 4, seatId: 'A1', status: 'SOLD' }]),
      snapshotText('ev', listsJson({ seq: 4, held: ['A2'], sold: ['A1'] })),
    ];
    for (const text of texts) expect(conforms(ServerMessage, parse(text)), text).toBe(true);
    expect(parse(helloText())).toEqual({ type: 'hello', protocol: PROTOCOL_VERSION });
  });

  it('wrap the pre-serialised lists into the same JSON as the whole object', () => {
    const lists = { seq: 7, held: ['A1', 'B"2'], sold: [] };
    expect(snapshotText('e"v', listsJson(lists))).toBe(
      JSON.stringify({ type: 'snapshot', eventId: 'e"v', ...lists, ga: [] }),
    );
  });

  it('keep type first and time before changes, as frame readers that skim expect', () => {
    expect(seatsText('ev', 5, [])).toBe('{"type":"seats","eventId":"ev","time":5,"changes":[]}');
    expect(snapshotText('ev', listsJson({ seq: 0, held: [], sold: [] }))).toMatch(
      /^\{"type":"snapshot","eventId":"ev","seq":0,/,
    );
  });

  it('give the HTTP seat snapshot its lists too', () => {
    const lists = listsJson({ seq: 2, held: ['A1'], sold: [] });
    const body = parse(`{"eventId":"ev",${lists},"mine":[]}`);
    expect(conforms(SeatSnapshot, body)).toBe(true);
  });
});
