// Best available and the lone-seat rule over HTTP, on both deployments: a crowd asking for pairs
// at once fills a section without a seat twice, a pair apart or a lone seat; the rule refuses
// holds by seat that would leave one; bad requests hold nothing.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type {
  BestHoldResponse,
  CreateEventRequest,
  EventDetail,
  LayoutSection,
  Problem,
} from '@ticketmain/protocol';
import { buildBestIndex, pickBest } from '../../src/domain/best-seats.js';
import { isLone } from '../../src/domain/lone-seats.js';
import { indexLayout, type VenueIndex } from '../../src/domain/venue/layout.js';
import { Client, type OrProblem, type Reply } from '../support/client.js';
import { MODES, serverForSuite } from '../support/server.js';

const CROWD = 1_000;

/** `rows` rows of `perRow` seats, ids `<prefix><row>-<n>`, one unit apart, rows below y0. */
function section(id: string, price: number, rows: number, perRow: number, y0: number) {
  return {
    id,
    name: id,
    price,
    rows: Array.from({ length: rows }, (_, r) => ({
      label: `R${r + 1}`,
      seats: Array.from({ length: perRow }, (_, i) => ({
        id: `${id}${r + 1}-${i + 1}`,
        number: i + 1,
        x: i,
        y: y0 + r,
      })),
    })),
  } satisfies LayoutSection;
}

function newEvent(singleSeatRule: boolean): CreateEventRequest {
  return {
    id: `best-${randomUUID().slice(0, 8)}`,
    name: 'Best Night',
    startsAt: '2031-06-01T20:00:00.000Z',
    currency: 'EUR',
    rules: { singleSeatRule },
    venue: {
      name: 'Best Hall',
      stage: { x: 0, y: -10, width: 30, height: 5, label: 'Stage' },
      focus: { x: 14.5, y: 0 },
      // The front is nearer the focus: a request for the floor must still stay on the floor.
      sections: [section('front', 9_000, 2, 30, 0), section('floor', 3_000, 24, 30, 5)],
    },
  };
}

function expectProblem(reply: Reply<unknown>, status: number, code: string): void {
  expect(reply.status).toBe(status);
  expect(reply.contentType).toContain('application/problem+json');
  expect((reply.body as Problem).code).toBe(code);
}

function holdBest(client: Client, eventId: string, body: unknown) {
  return client.request<OrProblem<BestHoldResponse>>('POST', `/api/events/${eventId}/holds/best`, {
    body,
  });
}

describe.each(MODES)('best available and lone seats (%s)', (mode) => {
  const suite = serverForSuite(mode);

  async function create(singleSeatRule: boolean): Promise<{ id: string; index: VenueIndex }> {
    const request = newEvent(singleSeatRule);
    const reply = await suite.admin.request<EventDetail>('POST', '/api/admin/events', {
      body: request,
    });
    expect(reply.status).toBe(201);
    return { id: request.id!, index: indexLayout(request.venue) };
  }

  /** The event's HELD and SOLD seats by the store itself (none before its first hold). */
  async function taken(eventId: string): Promise<Set<string>> {
    const snapshot = await suite.server.store.snapshot(eventId);
    if (!snapshot.ok) return new Set();
    return new Set([...snapshot.held, ...snapshot.sold]);
  }

  it(`${CROWD} concurrent best-of-2 on one section: pairs side by side, no seat twice, no lone seat, then NO_SEATS_AVAILABLE`, async () => {
    const { id, index } = await create(true);
    const buyers = await Promise.all(
      Array.from({ length: CROWD }, () => Client.session(suite.server.url)),
    );
    const body = { quantity: 2, sectionIds: ['floor'] };
    const replies = await Promise.all(buyers.map((buyer) => holdBest(buyer, id, body)));

    const won = replies.filter((r) => r.status === 201);
    for (const reply of replies.filter((r) => r.status !== 201)) {
      expectProblem(reply, 409, 'NO_SEATS_AVAILABLE');
    }
    const seen = new Set<string>();
    for (const { body: answer } of won) {
      const seats = answer.holds.map((h) => index.seatById.get(h.seatId)!);
      expect(seats).toHaveLength(2);
      expect(answer.adjacent).toBe(true);
      const [a, b] = seats.sort((x, y) => x.number - y.number) as [
        (typeof seats)[0],
        (typeof seats)[0],
      ];
      expect([a.sectionId, b.sectionId]).toEqual(['floor', 'floor']);
      expect(a.row).toBe(b.row);
      expect(b.number).toBe(a.number + 1);
      for (const seat of seats) {
        expect(seen.has(seat.id)).toBe(false);
        seen.add(seat.id);
      }
    }
    // The store holds exactly the seats answered, and nothing outside the floor.
    const held = await taken(id);
    expect([...held].sort()).toEqual([...seen].sort());
    const available = (seatId: string) => !held.has(seatId);
    const floor = [...index.seatById.values()].filter((s) => s.sectionId === 'floor');
    expect(floor.filter((seat) => isLone(seat.id, seat, available))).toEqual([]);
    // Full: every floor seat is held (its rows have an even number of seats), and no pair is
    // left that the rule allows.
    expect(held.size).toBe(floor.length);
    const query = {
      quantity: 2,
      adjacent: true,
      singleSeatRule: true,
      sectionIds: new Set(['floor']),
    };
    expect(pickBest(buildBestIndex(index.seatById, index.focus), query, available)).toBeUndefined();
    const late = await holdBest(await Client.session(suite.server.url), id, body);
    expectProblem(late, 409, 'NO_SEATS_AVAILABLE');
  }, 120_000);

  it('picks the best seats, by price and section, anywhere when not adjacent', async () => {
    const { id } = await create(false);
    const buyer = await Client.session(suite.server.url);
    const front = await holdBest(buyer, id, { quantity: 2 });
    expect(front.status).toBe(201);
    expect(front.body.holds.map((h) => h.seatId).sort()).toEqual(['front1-15', 'front1-16']);
    const cheap = await holdBest(buyer, id, { quantity: 4, maxPrice: 3_000 });
    expect(cheap.body.holds.map((h) => h.seatId).sort()).toEqual([
      'floor1-14',
      'floor1-15',
      'floor1-16',
      'floor1-17',
    ]);
    const other = await Client.session(suite.server.url);
    const anywhere = await holdBest(other, id, { quantity: 2, adjacent: false, maxPrice: 3_000 });
    expect(anywhere.status).toBe(201);
    expect(anywhere.body.holds.map((h) => h.seatId).sort()).toEqual(['floor1-13', 'floor1-18']);
    expect(anywhere.body.adjacent).toBe(false);
  });

  it('counts best-available seats against the session limit', async () => {
    const { id } = await create(false);
    const buyer = await Client.session(suite.server.url);
    const max = suite.server.config.maxSeatsPerSession;
    expect((await holdBest(buyer, id, { quantity: max })).status).toBe(201);
    expectProblem(await holdBest(buyer, id, { quantity: 1 }), 422, 'HOLD_LIMIT');
    expect((await taken(id)).size).toBe(max);
  });

  it('never picks seats that leave one alone while the rule is on', async () => {
    const { id } = await create(true);
    const buyer = await Client.session(suite.server.url);
    // Front row 1 keeps the free run 14..16 only: either pair in it would leave a seat alone,
    // so the pick moves on to row 2.
    const around = [...Array(30).keys()].map((i) => `front1-${i + 1}`);
    const keep = new Set(['front1-14', 'front1-15', 'front1-16']);
    const toHold = around.filter((s) => !keep.has(s));
    for (let i = 0; i < toHold.length; i += 8) {
      const session = await Client.session(suite.server.url);
      expect((await session.hold(id, toHold.slice(i, i + 8))).status).toBe(201);
    }
    const pick = await holdBest(buyer, id, { quantity: 2, sectionIds: ['front'] });
    expect(pick.status).toBe(201);
    expect(pick.body.holds.map((h) => h.seatId).sort()).toEqual(['front2-15', 'front2-16']);
  });

  describe('the lone-seat rule on holds by seat', () => {
    it('refuses a hold leaving the seat at a row end alone, and allows holding both', async () => {
      const { id } = await create(true);
      const buyer = await Client.session(suite.server.url);
      const refused = await buyer.hold(id, ['front1-2', 'front1-3']);
      expectProblem(refused, 409, 'SINGLE_SEAT');
      expect(refused.body.seats).toEqual(['front1-1']);
      expect(refused.body.detail).toContain('front1-1');
      expect((await taken(id)).size).toBe(0);
      expect((await buyer.hold(id, ['front1-1', 'front1-2', 'front1-3'])).status).toBe(201);
    });

    it('refuses a hold leaving a seat alone between two taken ones; releases are never refused', async () => {
      const { id } = await create(true);
      const alice = await Client.session(suite.server.url);
      const bob = await Client.session(suite.server.url);
      expect((await alice.hold(id, ['front1-5', 'front1-6'])).status).toBe(201);
      const refused = await bob.hold(id, ['front1-8', 'front1-9']);
      expectProblem(refused, 409, 'SINGLE_SEAT');
      expect(refused.body.seats).toEqual(['front1-7']);
      expect((await bob.hold(id, ['front1-7', 'front1-8'])).status).toBe(201);
      // Releasing 6 leaves 5 held and 7 held: seat 6 alone is the releaser's right.
      expect((await alice.release(id, 'front1-6')).status).toBe(204);
      expect(await taken(id)).toEqual(new Set(['front1-5', 'front1-7', 'front1-8']));
    });

    it('holds freely once the rule is switched off by PATCH', async () => {
      const { id } = await create(true);
      const buyer = await Client.session(suite.server.url);
      expectProblem(await buyer.hold(id, ['front1-2']), 409, 'SINGLE_SEAT');
      const patched = await suite.admin.request<EventDetail>('PATCH', `/api/admin/events/${id}`, {
        body: { rules: { singleSeatRule: false } },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.rules.singleSeatRule).toBe(false);
      expect((await buyer.hold(id, ['front1-2'])).status).toBe(201);
    });
  });

  describe('bad input holds nothing', () => {
    const cases: [string, unknown, number, string][] = [
      ['quantity 0', { quantity: 0 }, 400, 'INVALID_REQUEST'],
      ['quantity over the session limit', { quantity: 9 }, 400, 'INVALID_REQUEST'],
      ['quantity not an integer', { quantity: 1.5 }, 400, 'INVALID_REQUEST'],
      ['no quantity', {}, 400, 'INVALID_REQUEST'],
      ['an unknown section', { quantity: 2, sectionIds: ['nope'] }, 400, 'INVALID_REQUEST'],
      ['an empty section list', { quantity: 2, sectionIds: [] }, 400, 'INVALID_REQUEST'],
      ['a negative maxPrice', { quantity: 2, maxPrice: -1 }, 400, 'INVALID_REQUEST'],
      ['an unknown field', { quantity: 2, near: 'stage' }, 400, 'INVALID_REQUEST'],
    ];
    it.each(cases)('%s', async (_name, body, status, code) => {
      const { id } = await create(true);
      const buyer = await Client.session(suite.server.url);
      expectProblem(await holdBest(buyer, id, body), status, code);
      expect((await taken(id)).size).toBe(0);
    });

    it('needs a session and a known event', async () => {
      const { id } = await create(false);
      expectProblem(
        await holdBest(new Client(suite.server.url), id, { quantity: 1 }),
        401,
        'UNAUTHENTICATED',
      );
      const buyer = await Client.session(suite.server.url);
      expectProblem(
        await holdBest(buyer, 'no-such-event', { quantity: 1 }),
        404,
        'EVENT_NOT_FOUND',
      );
    });

    it('answers NO_SEATS_AVAILABLE when no seat matches', async () => {
      const { id } = await create(false);
      const buyer = await Client.session(suite.server.url);
      expectProblem(
        await holdBest(buyer, id, { quantity: 2, maxPrice: 100 }),
        409,
        'NO_SEATS_AVAILABLE',
      );
      expect((await taken(id)).size).toBe(0);
    });
  });
});
