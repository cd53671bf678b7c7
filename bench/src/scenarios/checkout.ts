// checkout: sessions hold 1–4 seats, then order them with an Idempotency-Key (synchronous
// commit on, Postgres's default). Reports orders/s; afterwards every 201 order must be in the
// ledger with its seats, and a replay of some keys must return the same orders.
import type { AcknowledgedOrder, Violation } from '../invariants.js';
import { call, stringField } from '../http.js';
import { latencyOf, measure, runDetails, statusClasses, type Scenario } from '../scenario.js';
import { SessionRing } from '../sessions.js';
import { Fifo, mapLimit, randomInt, round, seededRandom } from '../util.js';

interface CheckoutOp {
  kind: 'hold' | 'order';
  session: number;
  seatIds: string[];
  key?: string;
}

const ORDERS_PER_S_TARGET = 3_000;
const REPLAYED_ORDERS = 20;

export const checkout: Scenario = {
  name: 'checkout',
  summary: 'hold 1–4 seats, then order them with an Idempotency-Key: orders/s',
  async run(ctx) {
    const { eventId, pools } = ctx.stadium;
    const ring = new SessionRing(ctx.sessions);
    const random = seededRandom(3);
    const toOrder = new Fifo<CheckoutOp>();
    const acknowledged: Array<AcknowledgedOrder & { session: number; key: string }> = [];
    const counts = { holdConflicts: 0, orderConflicts: 0, replays: 0 };
    let cursor = 0;
    let keys = 0;

    const m = await measure<CheckoutOp>(ctx, {
      url: ctx.server.url,
      connections: ctx.connections,
      durationS: ctx.durationS,
      maxRequests: 1_000_000,
      next() {
        const held = toOrder.shift();
        if (held !== undefined) {
          const op: CheckoutOp = { ...held, kind: 'order', key: `bench-${++keys}` };
          return {
            op,
            method: 'POST',
            path: `/api/events/${eventId}/orders`,
            token: ring.token(op.session),
            headers: { 'idempotency-key': op.key ?? '' },
            body: { seatIds: op.seatIds },
          };
        }
        const count = 1 + randomInt(random, 4);
        // Each seat of the pool is tried once; the run ends when the pool is used up.
        if (cursor + count > pools.checkout.length) return null;
        const session = ring.take();
        if (session === undefined) return null;
        const seatIds = pools.checkout.slice(cursor, (cursor += count));
        const op: CheckoutOp = { kind: 'hold', session, seatIds };
        const path = `/api/events/${eventId}/holds`;
        return { op, method: 'POST', path, token: ring.token(session), body: { seatIds } };
      },
      done(op, status, body) {
        if (op.kind === 'hold') {
          if (status === 201) return toOrder.push(op);
          if (status === 409) counts.holdConflicts++;
          return ring.free(op.session);
        }
        ring.free(op.session);
        const orderId = stringField(parse(body), 'orderId');
        if (status === 201 && orderId !== undefined && op.key !== undefined) {
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

    const violations: Violation[] = await ctx.checker.checkAcknowledgedOrders(acknowledged);
    violations.push(
      ...(await replayKeys(ctx.server.url, eventId, acknowledged.slice(0, REPLAYED_ORDERS), ring)),
    );
    const ordersPerS = m.load.elapsedS > 0 ? acknowledged.length / m.load.elapsedS : 0;
    const order = latencyOf(m.load, 'order');
    const hold = latencyOf(m.load, 'hold');
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
        seatsLeftInPool: pools.checkout.length - cursor,
        ...counts,
        holdP50Ms: hold.p50,
        holdP99Ms: hold.p99,
        latencyColumns: 'order requests only',
        synchronousCommit: await ctx.stores.setting('synchronous_commit'),
        serverErrors: classes.serverErrors,
        unexpectedStatuses: classes.unexpected,
      },
    };
  },
};

function parse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** The same key and seats again must answer 200 with the same order (API.md, Orders). */
async function replayKeys(
  url: string,
  eventId: string,
  orders: ReadonlyArray<AcknowledgedOrder & { session: number; key: string }>,
  ring: SessionRing,
): Promise<Violation[]> {
  const { results } = await mapLimit(orders, 4, Date.now() + 15_000, async (o) => {
    const reply = await call(url, 'POST', `/api/events/${eventId}/orders`, {
      token: ring.token(o.session),
      headers: { 'idempotency-key': o.key },
      body: { seatIds: [...o.seatIds].reverse() },
    });
    return reply.status === 200 && stringField(reply.body, 'orderId') === o.orderId
      ? null
      : o.orderId;
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
