// Event rules over HTTP: set on create, changed by PATCH, returned with the event's detail (whose
// prepared copy and ETag follow), kept in PostgreSQL; and a change made through one catalog
// reaches another over the same ledger, as it reaches another replica.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CreateEventRequest, EventDetail, Problem } from '@ticketmain/protocol';
import { Catalog } from '../../src/events/catalog.js';
import { createPgliteDb } from '../../src/ledger/db.js';
import { SqlLedger } from '../../src/ledger/sql-ledger.js';
import { Client } from '../support/client.js';
import { MODES, serverForSuite } from '../support/server.js';

function request(rules?: CreateEventRequest['rules']): CreateEventRequest {
  return {
    id: `rules-${randomUUID().slice(0, 8)}`,
    name: 'Rules Night',
    startsAt: '2031-07-01T20:00:00.000Z',
    currency: 'EUR',
    ...(rules === undefined ? {} : { rules }),
    venue: {
      name: 'Rules Hall',
      stage: { x: 0, y: -10, width: 10, height: 4, label: 'Stage' },
      focus: { x: 2, y: 0 },
      sections: [
        {
          id: 'floor',
          name: 'Floor',
          price: 1_000,
          rows: [
            { label: 'A', seats: [1, 2, 3].map((n) => ({ id: `A${n}`, number: n, x: n, y: 0 })) },
          ],
        },
      ],
    },
  };
}

describe.each(MODES)('event rules (%s)', (mode) => {
  const suite = serverForSuite(mode);

  const detail = (id: string) =>
    new Client(suite.server.url).request<EventDetail>('GET', `/api/events/${id}`);
  const patch = (id: string, body: unknown, client = suite.admin) =>
    client.request<EventDetail & Problem>('PATCH', `/api/admin/events/${id}`, { body });

  it('defaults the rules, gives each section its kind, and takes rules on create', async () => {
    const plain = request();
    expect((await suite.admin.request('POST', '/api/admin/events', { body: plain })).status).toBe(
      201,
    );
    const got = await detail(plain.id!);
    expect(got.body.rules).toEqual({ singleSeatRule: false, buyerCancellationUntil: null });
    expect(got.body.sections).toEqual([
      { id: 'floor', name: 'Floor', price: 1_000, kind: 'seated' },
    ]);

    const ruled = request({ singleSeatRule: true });
    const created = await suite.admin.request<EventDetail>('POST', '/api/admin/events', {
      body: ruled,
    });
    expect(created.body.rules).toEqual({ singleSeatRule: true, buyerCancellationUntil: null });
  });

  it('changes the rules by PATCH: the detail, its ETag and the row in PostgreSQL follow', async () => {
    const event = request();
    await suite.admin.request('POST', '/api/admin/events', { body: event });
    const id = event.id!;
    const before = await detail(id);
    const until = '2031-06-30T12:00:00.000Z';
    const patched = await patch(id, {
      rules: { singleSeatRule: true, buyerCancellationUntil: until },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.rules).toEqual({ singleSeatRule: true, buyerCancellationUntil: until });
    const after = await detail(id);
    expect(after.body.rules).toEqual(patched.body.rules);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect(after.headers.get('etag')).toBeTruthy();
    // A later PATCH of one rule keeps the other.
    expect((await patch(id, { rules: { singleSeatRule: false } })).body.rules).toEqual({
      singleSeatRule: false,
      buyerCancellationUntil: until,
    });
    const rows = await suite.server.db.query<{ rules: unknown; version: number }>(
      'SELECT rules, version FROM events WHERE id = $1',
      [id],
    );
    expect(rows[0]).toEqual({
      rules: { singleSeatRule: false, buyerCancellationUntil: until },
      version: 3,
    });
  });

  it('refuses a PATCH of an unknown event, a bad body, and one without the admin token', async () => {
    const event = request();
    await suite.admin.request('POST', '/api/admin/events', { body: event });
    const id = event.id!;
    expect((await patch('no-such-event', { rules: {} })).body.code).toBe('EVENT_NOT_FOUND');
    for (const body of [
      {},
      { rules: { singleSeatRule: 'yes' } },
      { rules: { lone: true } },
      { rules: { buyerCancellationUntil: 'soon' } },
    ]) {
      const refused = await patch(id, body);
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('INVALID_REQUEST');
    }
    const anonymous = await patch(
      id,
      { rules: { singleSeatRule: true } },
      new Client(suite.server.url),
    );
    expect(anonymous.status).toBe(401);
    expect((await detail(id)).body.rules.singleSeatRule).toBe(false);
  });

  it('refuses a layout with a bad focus', async () => {
    const event = request();
    (event.venue as unknown as { focus: unknown }).focus = { x: 'centre', y: 0 };
    const refused = await suite.admin.request<Problem>('POST', '/api/admin/events', {
      body: event,
    });
    expect(refused.status).toBe(400);
  });
});

describe('rules across replicas', () => {
  it("a change through one catalog reaches another's cached event at its next refresh", async () => {
    const db = await createPgliteDb({});
    const ledger = new SqlLedger(db);
    await ledger.migrate();
    try {
      const here = new Catalog(ledger);
      // The other replica refreshes whenever it is asked (refreshMs 0), so the test waits for
      // that refresh rather than for a clock.
      const there = new Catalog(ledger, () => {}, 0);
      const event = request();
      await here.create(event);
      const id = event.id!;
      expect((await there.get(id)).record.rules.singleSeatRule).toBe(false);
      const etagBefore = (await there.prepared(id)).etag;

      await here.updateRules(id, { singleSeatRule: true });
      await there.refresh();
      const seen = await there.get(id);
      expect(seen.record.rules.singleSeatRule).toBe(true);
      expect(seen.detail.rules.singleSeatRule).toBe(true);
      expect((await there.prepared(id)).etag).not.toBe(etagBefore);
      // The seat index is kept: only the rules changed.
      expect(seen.index.seatById.get('A2')?.left).toBe('A1');
    } finally {
      await ledger.close();
    }
  });
});
