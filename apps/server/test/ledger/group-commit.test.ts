// Group commit on both engines: orders submitted together are written as batches, and a batch
// that a constraint refuses still commits its other orders and gives each refusal its answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/ledger/db.js';
import { SqlLedger } from '../../src/ledger/sql-ledger.js';
import type { InsertOrderOutcome, NewOrder } from '../../src/ledger/types.js';
import {
  count,
  engines,
  eventRecord,
  freshEventId,
  newOrder,
  orderOf,
  type Opened,
} from './fixtures.js';

describe.each(engines)('group commit on $name', (engine) => {
  let opened: Opened;
  let db: Db;
  let ledger: SqlLedger;

  beforeAll(async () => {
    opened = await engine.open();
    db = opened.db;
    ledger = new SqlLedger(db);
    await ledger.migrate();
  });

  afterAll(async () => {
    await opened?.dispose();
  });

  async function withEvent(): Promise<string> {
    const id = freshEventId();
    await ledger.createEvent(eventRecord(id));
    return id;
  }

  /**
   * Submits the orders in one go: the first finds the writer idle and goes alone, the others
   * queue behind it and go out together, as one batch.
   */
  async function submitTogether(orders: NewOrder[]): Promise<InsertOrderOutcome[]> {
    return Promise.all(orders.map((order) => ledger.insertOrder(order)));
  }

  async function ticketsOf(eventId: string): Promise<number> {
    return count(db, 'SELECT count(*) AS n FROM tickets WHERE event_id = $1', [eventId]);
  }

  it('writes 120 concurrent orders in batches, each with all of its tickets', async () => {
    const eventId = await withEvent();
    const requests = Array.from({ length: 120 }, (_, i) =>
      newOrder(
        eventId,
        `buyer-${i}`,
        `k-${i}`,
        Array.from({ length: 1 + (i % 4) }, (_, j) => `B${i}-${j}`),
      ),
    );
    const orders = (await submitTogether(requests)).map(orderOf);
    orders.forEach((order, i) => {
      expect(order.sessionId).toBe(requests[i]?.sessionId);
      expect(order.tickets.map((t) => t.seatId)).toEqual(
        requests[i]?.tickets.map((t) => t.seatId).sort(),
      );
    });
    for (const order of orders) expect(await ledger.getOrder(order.id)).toEqual(order);
    const seats = requests.reduce((n, request) => n + request.tickets.length, 0);
    expect(await ticketsOf(eventId)).toBe(seats);
    // The orders of one batch share its transaction, hence its creation time.
    const times = new Set(orders.map((order) => order.createdAt.getTime()));
    expect(times.size).toBeLessThan(orders.length);
    expect(times.size).toBeGreaterThanOrEqual(Math.ceil(orders.length / 64));
  });

  it('commits the rest of a batch that holds a seat already sold; that order gets SEAT_SOLD', async () => {
    const eventId = await withEvent();
    orderOf(await ledger.insertOrder(newOrder(eventId, 'first', 'k', ['S05'])));
    const outcomes = await submitTogether([
      newOrder(eventId, 'lone', 'k', ['S00']),
      newOrder(eventId, 'a', 'k', ['S01']),
      newOrder(eventId, 'late', 'k', ['S06', 'S05']),
      newOrder(eventId, 'b', 'k', ['S02', 'S03']),
    ]);
    expect(outcomes[2]).toEqual({ ok: false, reason: 'SEAT_SOLD', seatIds: ['S05'] });
    for (const i of [0, 1, 3]) expect(outcomes[i]?.ok).toBe(true);
    expect(await ledger.soldSeats(eventId)).toEqual(['S00', 'S01', 'S02', 'S03', 'S05']);
  });

  it('commits the rest of a batch that reuses a key; that order gets KEY_EXISTS', async () => {
    const eventId = await withEvent();
    const first = orderOf(await ledger.insertOrder(newOrder(eventId, 'buyer', 'k1', ['S01'])));
    const outcomes = await submitTogether([
      newOrder(eventId, 'lone', 'k', ['S00']),
      newOrder(eventId, 'buyer', 'k1', ['S02']),
      newOrder(eventId, 'buyer', 'k2', ['S03']),
    ]);
    expect(outcomes[1]).toEqual({ ok: false, reason: 'KEY_EXISTS' });
    expect(outcomes[2]?.ok).toBe(true);
    expect(await ledger.findOrderByKey(first.sessionId, 'k1')).toEqual(first);
    expect(await ledger.soldSeats(eventId)).toEqual(['S00', 'S01', 'S03']);
  });

  it('sells a seat asked twice within one batch once; the other order gets SEAT_SOLD', async () => {
    const eventId = await withEvent();
    const outcomes = await submitTogether([
      newOrder(eventId, 'lone', 'k', ['S00']),
      newOrder(eventId, 'a', 'k', ['S04', 'S07']),
      newOrder(eventId, 'b', 'k', ['S07', 'S08']),
      newOrder(eventId, 'c', 'k', ['S09']),
    ]);
    const [, a, b, c] = outcomes;
    expect([a?.ok, b?.ok].filter(Boolean)).toHaveLength(1);
    const loser = a?.ok === true ? b : a;
    expect(loser).toEqual({ ok: false, reason: 'SEAT_SOLD', seatIds: ['S07'] });
    expect(c?.ok).toBe(true);
    const won = a?.ok === true ? ['S04', 'S07'] : ['S07', 'S08'];
    expect(await ledger.soldSeats(eventId)).toEqual(['S00', ...won, 'S09'].sort());
  });

  it('refuses the same key twice within one batch: one order, then KEY_EXISTS', async () => {
    const eventId = await withEvent();
    const outcomes = await submitTogether([
      newOrder(eventId, 'lone', 'k', ['S00']),
      newOrder(eventId, 'buyer', 'twice', ['S01']),
      newOrder(eventId, 'buyer', 'twice', ['S02']),
    ]);
    const [, first, second] = outcomes;
    expect([first?.ok, second?.ok].filter(Boolean)).toHaveLength(1);
    expect(first?.ok === true ? second : first).toEqual({ ok: false, reason: 'KEY_EXISTS' });
    expect(await ticketsOf(eventId)).toBe(2);
  });

  it('fails only the order of an unknown event; the rest of its batch commits', async () => {
    const eventId = await withEvent();
    const settled = await Promise.allSettled([
      ledger.insertOrder(newOrder(eventId, 'lone', 'k', ['S00'])),
      ledger.insertOrder(newOrder(eventId, 'a', 'k', ['S01'])),
      ledger.insertOrder(newOrder('no-such-event', 'b', 'k', ['S02'])),
      ledger.insertOrder(newOrder(eventId, 'c', 'k', ['S03'])),
    ]);
    expect(settled.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(await ledger.soldSeats(eventId)).toEqual(['S00', 'S01', 'S03']);
    expect(
      await count(db, 'SELECT count(*) AS n FROM orders WHERE event_id = $1', ['no-such-event']),
    ).toBe(0);
  });
});
