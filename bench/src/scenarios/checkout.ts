// checkout: sessions hold 1–4 seats, then order them with an Idempotency-Key (synchronous
// commit on, Postgres's default). Reports orders/s; afterwards every 201 order must be in the
// ledger with its seats, and a replay of some keys must return the same orders.
import { ApiError, calls, type Order } from '@ticketmain/client';
import { clientOf, orRefusal, type ApiTarget } from '../api.js';
import type { AcknowledgedOrder, Violation } from '../invariants.js';
import { json } from '../keepalive.js';
import {
  latencyOf,
  measure,
  runDetails,
  statusClasses,
  type BenchContext,
  type Measured,
  type Scenario,
  type ScenarioResult,
} from '../scenario.js';
import { SessionRing } from '../sessions.js';
import { Fifo, mapLimit, randomInt, round, seededRandom } from '../util.js';

interface CheckoutOp {
  kind: 'hold' | 'order';
  session: number;
  seatIds: string[];
  key?: string;
}

/** The holds made before the timed phase, one order each. */
interface Prepared {
  held: CheckoutOp[];
  conflicts: number;
  seconds: number;
}

const ORDERS_PER_S_TARGET = 3_000;
const REPLAYED_ORDERS = 20;

type Acknowledged = AcknowledgedOrder & { session: number; key: string };

interface CheckoutMeasured {
  m: Measured<CheckoutOp>;
  acknowledged: Acknowledged[];
  counts: { holdConflicts: number; orderConflicts: number; replays: number };
}

export const checkout: Scenario = {
  name: 'checkout',
  summary: 'hold 1–4 seats, then order them with an Idempotency-Key: orders/s',
  async run(ctx) {
    const { eventId, pools } = ctx.stadium;
    const ring = new SessionRing(ctx.sessions);
    // Not timed: every order's seats are held first, so the timed phase measures orders alone.
    const prepared = await holdSeats(ctx.server, eventId, pools.checkout, ring, ctx.quick);
    const measured = await measureOrders(ctx, ring, prepared);
    const { acknowledged } = measured;
    const violations: Violation[] = await ctx.checker.checkAcknowledgedOrders(acknowledged);
    violations.push(
      ...(await replayKeys(ctx.server, eventId, acknowledged.slice(0, REPLAYED_ORDERS), ring)),
    );
    const synchronousCommit = await ctx.stores.setting('synchronous_commit');
    return judge(ctx, prepared, measured, violations, synchronousCommit);
  },
};

/** Orders the prepared holds, each with a key of its own, for the run's duration. */
async function measureOrders(
  ctx: BenchContext,
  ring: SessionRing,
  prepared: Prepared,
): Promise<CheckoutMeasured> {
  const { eventId } = ctx.stadium;
  const acknowledged: Acknowledged[] = [];
  const counts = { holdConflicts: prepared.conflicts, orderConflicts: 0, replays: 0 };
  let keys = 0;
  const toOrder = new Fifo<CheckoutOp>();
  for (const op of prepared.held) toOrder.push(op);

  const m = await measure<CheckoutOp>(ctx, {
    url: ctx.server.url,
    connections: ctx.connections,
    durationS: ctx.durationS,
    maxRequests: prepared.held.length,
    next() {
      const held = toOrder.shift();
      if (held === undefined) return null;
      const op: CheckoutOp = { ...held, kind: 'order', key: `bench-${++keys}` };
      return {
        op,
        method: 'POST',
        path: `/api/events/${eventId}/orders`,
        token: ring.token(op.session),
        headers: { 'idempotency-key': op.key ?? '' },
        body: { seatIds: op.seatIds },
      };
    },
    done(op, status, body) {
      const orderId = status === 201 ? orderIdOf(body) : undefined;
      if (orderId !== undefined && op.key !== undefined) {
        acknowledged.push({
          orderId,
          eventId,
          seatIds: op.seatIds,
          session: op.session,
          key: op.key,
        });
      } else if (status === 200) {
        counts.replays++;
      } else if (status === 409) {
        counts.orderConflicts++;
      }
    },
    kind: (op) => op.kind,
  });
  return { m, acknowledged, counts };
}

function judge(
  ctx: BenchContext,
  prepared: Prepared,
  { m, acknowledged, counts }: CheckoutMeasured,
  violations: Violation[],
  synchronousCommit: string | undefined,
): ScenarioResult {
  const ordersPerS = m.load.elapsedS > 0 ? acknowledged.length / m.load.elapsedS : 0;
  const order = latencyOf(m.load, 'order');
  const classes = statusClasses(m.load, [200, 201], [409]);
  return {
    name: 'checkout',
    throughput: { value: round(ordersPerS, 0), unit: 'orders/s' },
    p50Ms: order.p50,
    p99Ms: order.p99,
    errors: classes.errors,
    targets: [
      {
        label: `≥ ${ORDERS_PER_S_TARGET.toLocaleString('en-US')} orders/s`,
        measured: `${round(ordersPerS, 0)} orders/s`,
        pass: ctx.quick ? null : ordersPerS >= ORDERS_PER_S_TARGET,
      },
    ],
    violations,
    details: {
      ...runDetails(m),
      orders: acknowledged.length,
      seatsSold: acknowledged.reduce((n, o) => n + o.seatIds.length, 0),
      prepared: prepared.held.length,
      preparationS: prepared.seconds,
      ...counts,
      latencyColumns: 'order requests only (the holds are made before the timed phase)',
      synchronousCommit,
      serverErrors: classes.serverErrors,
      unexpectedStatuses: classes.unexpected,
    },
  };
}

/** Orders prepared: enough to outlast the timed phase at the target pace, within a time bound. */
async function holdSeats(
  server: ApiTarget,
  eventId: string,
  pool: readonly string[],
  ring: SessionRing,
  quick: boolean,
): Promise<Prepared> {
  const random = seededRandom(3);
  const planned: CheckoutOp[] = [];
  const limit = Math.min(quick ? 3_000 : 40_000, ring.sessions.length * 2);
  // Two orders of at most 4 seats per session stay within the 8-seat hold limit.
  for (let cursor = 0; planned.length < limit;) {
    const count = 1 + randomInt(random, 4);
    if (cursor + count > pool.length) break;
    const session = planned.length % ring.sessions.length;
    planned.push({ kind: 'hold', session, seatIds: pool.slice(cursor, (cursor += count)) });
  }
  const started = Date.now();
  let conflicts = 0;
  const { results } = await mapLimit(
    planned,
    64,
    started + (quick ? 10_000 : 30_000),
    async (op) => {
      const api = clientOf(server, { token: ring.token(op.session) });
      const reply = await orRefusal(api.hold(eventId, op.seatIds));
      if (reply instanceof ApiError && reply.status === 409) conflicts++;
      return reply instanceof ApiError ? undefined : op;
    },
  );
  const held = results.filter((op): op is CheckoutOp => op !== undefined);
  return { held, conflicts, seconds: round((Date.now() - started) / 1000, 1) };
}

/**
 * The id of a 201 order, read on the load generator's hot path: one field, not the whole Order
 * schema (the ledger check afterwards is what says the order is real).
 */
function orderIdOf(body: string): Order['orderId'] | undefined {
  const order = json(body);
  if (typeof order !== 'object' || order === null || !('orderId' in order)) return undefined;
  return typeof order.orderId === 'string' ? order.orderId : undefined;
}

/** The same key and seats again must answer 200 with the same order (API.md, Orders). */
async function replayKeys(
  server: ApiTarget,
  eventId: string,
  orders: ReadonlyArray<AcknowledgedOrder & { session: number; key: string }>,
  ring: SessionRing,
): Promise<Violation[]> {
  const { results } = await mapLimit(orders, 4, Date.now() + 15_000, async (o) => {
    const api = clientOf(server, { token: ring.token(o.session) });
    const call = calls.placeOrder(eventId, [...o.seatIds].reverse(), o.key);
    const reply = await orRefusal(api.send(call));
    const same = !(reply instanceof ApiError) && reply.status === 200;
    return same && reply.data.orderId === o.orderId ? null : o.orderId;
  });
  const bad = results.filter((r): r is string => typeof r === 'string');
  if (bad.length === 0) return [];
  return [
    {
      invariant: 'idempotency',
      eventId,
      detail: `${bad.length} of ${orders.length} replayed keys did not return their order with 200`,
      seats: bad.slice(0, 10),
    },
  ];
}
