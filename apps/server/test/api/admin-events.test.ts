// Creating events: the free text of a request (event name, venue, stage, section and row labels)
// reaches PostgreSQL as text and jsonb, which refuse a NUL and a lone surrogate. The schemas
// refuse those, and every control character, with 400 before anything is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  seatedSections,
  type CreateEventRequest,
  type EventSummary,
  type Problem,
} from '@ticketmain/protocol';
import { Client } from '../support/client.js';
import { ADMIN_TOKEN, MODES, startServer, type TestServer } from '../support/server.js';
import { oneSeatVenue } from '../support/venues.js';

function event(id: string, change: (request: CreateEventRequest) => void): CreateEventRequest {
  const request: CreateEventRequest = {
    id,
    name: 'Night',
    venue: oneSeatVenue(),
    startsAt: '2031-05-01T20:00:00.000Z',
    currency: 'EUR',
  };
  change(request);
  return request;
}

const section = (request: CreateEventRequest) => seatedSections(request.venue)[0]!;

/** Each bad text in one field of an otherwise valid request. */
const REFUSED: [string, (request: CreateEventRequest) => void][] = [
  ['a NUL in the name', (r) => (r.name = 'Opening\u0000Night')],
  ['a lone surrogate in the name', (r) => (r.name = 'Opening \ud800')],
  ['a lone surrogate in the venue name', (r) => (r.venue.name = '\udc00Hall')],
  ['a newline in the name', (r) => (r.name = 'Opening\nNight')],
  ['a NUL in the venue name', (r) => (r.venue.name = '\u0000')],
  ['a DEL in the stage label', (r) => (r.venue.stage.label = 'Stage\u007f')],
  ['a C1 control in a section name', (r) => (section(r).name = 'Floor\u0085')],
  ['a tab in a row label', (r) => (section(r).rows[0]!.label = 'A\tB')],
];

describe.each(MODES)('admin events (%s)', (mode) => {
  let server: TestServer;
  let admin: Client;
  beforeAll(async () => {
    server = await startServer(mode);
    admin = new Client(server.url, ADMIN_TOKEN);
  });
  afterAll(() => server.close());

  const eventCount = async () =>
    (await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events'))[0]!.n;

  it.each(REFUSED)('refuses %s with 400 INVALID_REQUEST, writing nothing', async (what, bad) => {
    const before = await eventCount();
    const id = `refused-${REFUSED.findIndex(([w]) => w === what)}`;
    const reply = await admin.request<Problem>('POST', '/api/admin/events', {
      body: event(id, bad),
    });
    expect(reply.status).toBe(400);
    expect(reply.contentType).toContain('application/problem+json');
    expect(reply.body.code).toBe('INVALID_REQUEST');
    expect(await eventCount()).toBe(before);
  });

  it('keeps letters of any script, spaces, punctuation and emoji', async () => {
    const name = 'Noche de Ópera — 東京 🎫 (2031)';
    const reply = await admin.request('POST', '/api/admin/events', {
      body: event('unicode-night', (r) => {
        r.name = name;
        section(r).name = 'Parterre « A »';
      }),
    });
    expect(reply.status).toBe(201);
    const listed = await new Client(server.url).request<EventSummary[]>('GET', '/api/events');
    expect(listed.body.find((e) => e.id === 'unicode-night')?.name).toBe(name);
  });
});
