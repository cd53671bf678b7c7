// resale: cancellations and resales during a hold storm, invariants only. On an event of its own
// (a stadium venue of 100 seats), 64 buyers at a time hold 1–2 random seats and either order them
// (half the time) or release them, for the run's duration, while the organiser cancels random
// orders that were confirmed, two at a time, so that the freed seats are fought over and sold
// again. PostgreSQL is sampled all along for a seat with two live tickets. At the end: at most
// one live ticket per seat, the hold store SOLD exactly where a live ticket is (the bench's
// checker, and the public seat map), every 201 order in the ledger, live or wholly cancelled,
// and the ones the organiser cancelled are.
import { randomUUID } from 'node:crypto';
import { stadium } from '@ticketmain/server/venue';
import { seatedSections } from '@ticketmain/protocol';
import { ApiError, type Order } from '@ticketmain/client';
import { clientOf, orRefusal, rethrowAs } from '../api.js';
import type { Violation } from '../invariants.js';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.js';
import { createSessions } from '../sessions.js';
import { percentile, randomInt, round, seededRandom, sleep, sortedCopy } from '../util.js';

const EVENT_ID = 'bench-resale';
const SEATS = 100;
const BUYERS = 64;
const SESSIONS = 2_000;
const CANCELLERS = 2;

interface Counts {
  requests: number;
  statuses: Record<string, number>;
  orders: number;
  cancels: number;
  samples: number;
  sampledDoubles: number;
}

export const resale: Scenario = {
  name: 'resale',
  summary: 'hold storm on 100 seats while the organiser cancels orders: invariants only',
  async run(ctx) {
    const venue = stadium({ seats: SEATS });
    const admin = clientOf(ctx.server);
    await admin
      .createEvent({
        id: EVENT_ID,
        name: 'Bench Resale',
        venue,
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
        currency: 'USD',
      })
      .catch(rethrowAs('creating the resale event'));
    const seatIds = seatedSections(venue).flatMap((s) =>
      s.rows.flatMap((r) => r.seats.map((x) => x.id)),
    );
    // Sessions enough that none reaches the 8-seat limit with what it bought.
    const sessions = await createSessions(ctx.server, SESSIONS);
    const random = seededRandom(15);
    const counts: Counts = {
      requests: 0,
      statuses: {},
      orders: 0,
      cancels: 0,
      samples: 0,
      sampledDoubles: 0,
    };
    const latencies: number[] = [];
    const confirmed = new Map<string, Order>();
    const cancelled = new Set<string>();
    const deadline = Date.now() + ctx.durationS * 1000;
    const timed = async <T>(call: Promise<T>): Promise<T | ApiError> => {
      const started = performance.now();
      const reply = await orRefusal(call);
      latencies.push(performance.now() - started);
      counts.requests++;
      const status = reply instanceof ApiError ? reply.status : 2;
      counts.statuses[status] = (counts.statuses[status] ?? 0) + 1;
      return reply;
    };

    let nextSession = 0;
    const buyer = async () => {
      while (Date.now() < deadline) {
        const session = sessions[nextSession++ % sessions.length];
        const api = clientOf(ctx.server, { token: session?.token });
        const first = randomInt(random, seatIds.length);
        const wanted = [...new Set([first, (first + randomInt(random, 2)) % seatIds.length])];
        const seats = wanted.map((i) => seatIds[i] ?? '');
        const held = await timed(api.hold(EVENT_ID, seats));
        if (held instanceof ApiError) continue;
        if (random() < 0.5) {
          const order = await timed(api.placeOrder(EVENT_ID, seats, randomUUID()));
          if (!(order instanceof ApiError)) {
            confirmed.set(order.orderId, order);
            counts.orders++;
          }
        } else {
          for (const seat of seats) await timed(api.release(EVENT_ID, seat));
        }
      }
    };
    const organiser = async () => {
      while (Date.now() < deadline) {
        const live = [...confirmed.keys()].filter((id) => !cancelled.has(id));
        const orderId = live[randomInt(random, live.length)];
        if (orderId === undefined) {
          await sleep(10);
          continue;
        }
        cancelled.add(orderId);
        const reply = await timed(admin.adminCancelOrder(orderId));
        if (reply instanceof ApiError) cancelled.delete(orderId);
        else counts.cancels++;
      }
    };
    const sampler = async () => {
      while (Date.now() < deadline) {
        counts.samples++;
        counts.sampledDoubles += (await doubles(ctx)).length;
        await sleep(50);
      }
    };
    const started = performance.now();
    await Promise.all([
      ...Array.from({ length: BUYERS }, buyer),
      ...Array.from({ length: CANCELLERS }, organiser),
      sampler(),
    ]);
    const elapsedS = (performance.now() - started) / 1000;

    const violations = await checkAtEnd(ctx, confirmed, cancelled, counts);
    const resold = await ctx.stores.pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT seat_id FROM "${ctx.stores.schema}".tickets
        WHERE event_id = $1 GROUP BY seat_id HAVING count(*) > 1) AS seats`,
      [EVENT_ID],
    );
    const sorted = sortedCopy(latencies);
    const serverErrors = Object.entries(counts.statuses)
      .filter(([status]) => Number(status) >= 500)
      .reduce((n, [, c]) => n + c, 0);
    const result: ScenarioResult = {
      name: 'resale',
      throughput: { value: round(counts.requests / elapsedS, 0), unit: 'req/s' },
      p50Ms: round(percentile(sorted, 50) ?? 0, 2),
      p99Ms: round(percentile(sorted, 99) ?? 0, 2),
      errors: serverErrors,
      targets: [
        {
          label: 'at most one live ticket per seat (sampled, and at the end)',
          measured: `${counts.sampledDoubles} in ${counts.samples} samples`,
          pass:
            counts.sampledDoubles === 0 && !violations.some((v) => v.invariant === 'double-sale'),
        },
        {
          label: 'every 201 order live or cancelled; store SOLD iff live ticket',
          measured: `${violations.length} violations`,
          pass: violations.length === 0,
        },
      ],
      violations,
      details: {
        elapsedS: round(elapsedS, 2),
        seats: SEATS,
        buyers: BUYERS,
        ...counts,
        seatsSoldMoreThanOnce: resold.rows[0]?.n ?? 0,
        latencyColumns: 'every request (holds, releases, orders, cancels), in this process',
      },
    };
    return result;
  },
};

async function doubles(ctx: BenchContext): Promise<string[]> {
  const { rows } = await ctx.stores.pg.query<{ seat_id: string }>(
    `SELECT seat_id FROM "${ctx.stores.schema}".tickets WHERE event_id = $1 AND status = 'live'
      GROUP BY seat_id HAVING count(*) > 1`,
    [EVENT_ID],
  );
  return rows.map((r) => r.seat_id);
}

/** The checks at rest of the resale event. */
async function checkAtEnd(
  ctx: BenchContext,
  confirmed: ReadonlyMap<string, Order>,
  cancelled: ReadonlySet<string>,
  counts: Counts,
): Promise<Violation[]> {
  // Ledger (live tickets), store state, SOLD in the store iff a live ticket in the ledger.
  const violations = await ctx.checker.checkEvent(EVENT_ID);
  if (counts.sampledDoubles > 0) {
    violations.push({
      invariant: 'double-sale',
      eventId: EVENT_ID,
      detail: `${counts.sampledDoubles} seats with two live tickets in the samples`,
    });
  }
  const schema = ctx.stores.schema;
  const { rows } = await ctx.stores.pg.query<{
    id: string;
    cancelled: boolean;
    statuses: string[];
    seats: string[];
  }>(
    `SELECT o.id::text, o.cancelled_at IS NOT NULL AS cancelled,
        array_agg(DISTINCT t.status) AS statuses, array_agg(t.seat_id ORDER BY t.seat_id) AS seats
       FROM "${schema}".orders o JOIN "${schema}".tickets t ON t.order_id = o.id
      WHERE o.event_id = $1 GROUP BY o.id`,
    [EVENT_ID],
  );
  const stored = new Map(rows.map((row) => [row.id, row]));
  const bad: string[] = [];
  for (const [orderId, order] of confirmed) {
    const row = stored.get(orderId);
    const seats = order.tickets.map((t) => t.seatId).sort();
    const whole =
      row !== undefined &&
      row.statuses.length === 1 &&
      row.statuses[0] === (row.cancelled ? 'cancelled' : 'live') &&
      row.cancelled === cancelled.has(orderId) &&
      JSON.stringify(row.seats) === JSON.stringify(seats);
    if (!whole) bad.push(orderId);
  }
  // Nothing else: no order in the ledger that was not answered 201.
  const extra = rows.filter((row) => !confirmed.has(row.id)).map((row) => row.id);
  if (bad.length + extra.length > 0) {
    violations.push({
      invariant: 'order-live-or-cancelled',
      eventId: EVENT_ID,
      detail:
        `${bad.length} of ${confirmed.size} 201 orders not wholly live or wholly cancelled as ` +
        `answered; ${extra.length} orders in the ledger never answered 201`,
      seats: [...bad, ...extra].slice(0, 10),
    });
  }
  // The public seat map agrees with the live tickets.
  const { rows: live } = await ctx.stores.pg.query<{ seat_id: string }>(
    `SELECT seat_id FROM "${schema}".tickets WHERE event_id = $1 AND status = 'live'`,
    [EVENT_ID],
  );
  const map = await clientOf(ctx.server).getSeats(EVENT_ID);
  const sold = [...map.sold].sort();
  const expected = live.map((r) => r.seat_id).sort();
  if (JSON.stringify(sold) !== JSON.stringify(expected)) {
    violations.push({
      invariant: 'sold-count',
      eventId: EVENT_ID,
      detail: `the seat map shows ${sold.length} sold, the ledger has ${expected.length} live tickets`,
      seats: sold.filter((s) => !expected.includes(s)).slice(0, 10),
    });
  }
  return violations;
}
