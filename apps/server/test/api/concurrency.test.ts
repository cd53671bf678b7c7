// Races fired as real parallel HTTP requests, then the invariants checked in the ledger and store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeatSnapshot } from '@ticketmain/protocol';
import { Client } from '../support/client.js';
import { MODES, startServer, type TestServer } from '../support/server.js';

const EVENT = 'arena-demo';

async function seatIds(server: TestServer): Promise<string[]> {
  const reply = await new Client(server.url).request<{ seats: { id: string }[] }>(
    'GET',
    `/api/events/${EVENT}`,
  );
  return reply.body.seats.map((s) => s.id);
}

async function sessions(server: TestServer, count: number): Promise<Client[]> {
  return Promise.all(Array.from({ length: count }, () => Client.session(server.url)));
}

/** Seats sold more than once, read straight from the tickets table. */
async function doubleSales(server: TestServer): Promise<unknown[]> {
  return server.db.query(
    'SELECT seat_id, count(*) FROM tickets WHERE event_id = $1 GROUP BY seat_id HAVING count(*) > 1',
    [EVENT],
  );
}

describe.each(MODES)('races (%s)', (mode) => {
  let server: TestServer;
  let seats: string[];
  beforeAll(async () => {
    server = await startServer(mode);
    seats = await seatIds(server);
  });
  afterAll(() => server.close());

  it('200 sessions hold the same seat at once: exactly one wins', async () => {
    const buyers = await sessions(server, 200);
    const seat = seats[0]!;
    const replies = await Promise.all(buyers.map((b) => b.hold(EVENT, [seat])));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(199);
    for (const r of replies.filter((r) => r.status === 409)) {
      expect(r.body.code).toBe('SEAT_UNAVAILABLE');
      expect(r.body.seats).toEqual([seat]);
    }
    const snapshot = await buyers[0]!.seats(EVENT);
    expect(snapshot.body.held).toContain(seat);
  });

  it('100 sessions each hold 4 of the same 12 seats: all-or-nothing, one owner, sold once', async () => {
    const pool = seats.slice(100, 112);
    const buyers = await sessions(server, 100);
    const wanted = buyers.map((_, i) => pickFour(pool, i));
    const replies = await Promise.all(buyers.map((b, i) => b.hold(EVENT, wanted[i]!)));

    const owner = new Map<string, number>();
    replies.forEach((reply, i) => {
      if (reply.status === 201) {
        expect(reply.body.holds.map((h) => h.seatId).sort()).toEqual([...wanted[i]!].sort());
        for (const seat of wanted[i]!) {
          expect(owner.has(seat), `seat ${seat} has two owners`).toBe(false);
          owner.set(seat, i);
        }
      } else {
        expect(reply.status).toBe(409);
      }
    });
    expect(owner.size).toBeGreaterThan(0);

    // Each buyer's own view agrees: a winner holds all 4, a loser none of the 12.
    const views = await Promise.all(buyers.map((b) => b.seats(EVENT)));
    views.forEach((view, i) => {
      const mine = view.body.mine.map((m) => m.seatId).filter((s) => pool.includes(s));
      expect(mine.sort()).toEqual(replies[i]!.status === 201 ? [...wanted[i]!].sort() : []);
    });

    const orders = await Promise.all(
      buyers.map((b, i) =>
        replies[i]!.status === 201 ? b.order(EVENT, wanted[i]!, `race-${i}`) : null,
      ),
    );
    expect(orders.filter((o) => o !== null).every((o) => o!.status === 201)).toBe(true);
    expect(await doubleSales(server)).toEqual([]);
    const sold = await server.db.query<{ seat_id: string }>(
      'SELECT seat_id FROM tickets WHERE event_id = $1 AND seat_id = ANY($2)',
      [EVENT, pool],
    );
    expect(sold.map((r) => r.seat_id).sort()).toEqual([...owner.keys()].sort());
  });

  it('two orders of the same held seats with different keys: one order, one sale', async () => {
    const [buyer] = await sessions(server, 1);
    const seat = seats[200]!;
    expect((await buyer!.hold(EVENT, [seat])).status).toBe(201);
    const results = await Promise.allSettled([
      buyer!.order(EVENT, [seat], 'twin-a'),
      buyer!.order(EVENT, [seat], 'twin-b'),
    ]);
    const statuses = results.map((r) => (r.status === 'fulfilled' ? r.value.status : 0)).sort();
    expect(statuses).toEqual([201, 409]);
    expect(await doubleSales(server)).toEqual([]);
  });

  it('a seat snapshot with a token is one state: a seat of `mine` is held, never sold', async () => {
    const pool = seats.slice(300, 340);
    const snapshots: SeatSnapshot[] = [];
    let done = false;
    const watch = async (reader: Client) => {
      while (!done) snapshots.push((await reader.seats(EVENT)).body);
    };
    // Each round a new buyer holds four seats, then buys two and lets two go, all at once,
    // while four readers with that round's token keep taking snapshots.
    const rounds = pool.length / 4;
    for (let round = 0; round < rounds; round++) {
      const [buyer] = await sessions(server, 1);
      const four = pool.slice(round * 4, round * 4 + 4);
      expect((await buyer!.hold(EVENT, four)).status).toBe(201);
      done = false;
      const readers = Array.from({ length: 4 }, () => watch(new Client(server.url, buyer!.token)));
      const [order, ...releases] = await Promise.all([
        buyer!.order(EVENT, four.slice(0, 2), `one-state-${round}`),
        buyer!.release(EVENT, four[2]!),
        buyer!.release(EVENT, four[3]!),
      ]);
      expect(order.status).toBe(201);
      expect(releases.map((r) => r.status)).toEqual([204, 204]);
      done = true;
      await Promise.all(readers);
    }
    expect(snapshots.length).toBeGreaterThanOrEqual(rounds * 4);
    for (const snapshot of snapshots) {
      for (const { seatId } of snapshot.mine) {
        expect(snapshot.sold, `seq ${snapshot.seq}`).not.toContain(seatId);
        expect(snapshot.held, `seq ${snapshot.seq}`).toContain(seatId);
      }
    }
  });
});

/** A deterministic spread of 4-seat picks from a 12-seat pool. */
function pickFour(pool: string[], i: number): string[] {
  const picked = new Set<number>();
  let k = i * 7;
  while (picked.size < 4) picked.add((k += 5) % pool.length);
  return [...picked].map((p) => pool[p]!);
}
