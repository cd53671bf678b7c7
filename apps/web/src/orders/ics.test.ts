import { describe, expect, it } from 'vitest';
import { calendarFile } from './ics';

describe('calendarFile', () => {
  const entry = {
    uid: 'order-1@ticketmain',
    name: 'Arena night; live, loud',
    venue: 'The Arena',
    startsAt: '2031-01-01T20:00:00.000Z',
    description: `Row C, seat 16\n${'x'.repeat(100)}`,
    url: 'https://tickets.example/orders/1?key=abc',
  };

  it('writes one VEVENT with the start, name and venue, CRLF lines of at most 75 octets', () => {
    const ics = calendarFile(entry, new Date('2030-06-01T10:00:00Z'));
    expect(ics.endsWith('\r\n')).toBe(true);
    const lines = ics.split('\r\n').slice(0, -1);
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('BEGIN:VEVENT\r\n');
    expect(unfolded).toContain('DTSTART:20310101T200000Z\r\n');
    expect(unfolded).toContain('DTSTAMP:20300601T100000Z\r\n');
    expect(unfolded).toContain('SUMMARY:Arena night\\; live\\, loud\r\n');
    expect(unfolded).toContain('LOCATION:The Arena\r\n');
    expect(unfolded).toContain(`DESCRIPTION:Row C\\, seat 16\\n${'x'.repeat(100)}\r\n`);
    expect(unfolded.match(/BEGIN:VEVENT/g)).toHaveLength(1);
  });

  it('folds by octets, never inside a character', () => {
    const ics = calendarFile({ ...entry, name: 'é'.repeat(80) });
    const summary = ics
      .replace(/\r\n /g, '')
      .split('\r\n')
      .find((l) => l.startsWith('SUMMARY'));
    expect(summary).toBe(`SUMMARY:${'é'.repeat(80)}`);
  });
});
