// webhooks: checkout with and without a webhook endpoint, in the same run. On an event of its own
// (the stadium's venue, so no other scenario's seats or sessions are touched), fresh sessions
// order 1-seat holds for the run's duration twice: first with no endpoint, then with one
// subscribed to order.confirmed on a receiver in this process (loopback). Every 201 order must
// be delivered (signature checked); the lag is receipt time minus the event's timestamp.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stadium } from '@ticketmain/server/venue';
import { ApiError } from '@ticketmain/client';
import { seatedSections } from '@ticketmain/protocol';
import { Webhook } from 'standardwebhooks';
import { clientOf, orRefusal, rethrowAs } from '../api.js';
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
import { createSessions, SessionRing } from '../sessions.js';
import { mapLimit, percentile, round, seededRandom, shuffled, sortedCopy } from '../util.js';

const EVENT_ID = 'bench-webhooks';
const SESSIONS = 6_000;
const LAG_P99_TARGET_MS = 2_000;
const THROUGHPUT_RATIO_TARGET = 0.9;
const DELIVERY_DEADLINE_MS = 120_000;

interface OrderOp {
  session: number;
  seatIds: string[];
  key: string;
}

export const webhooks: Scenario = {
  name: 'webhooks',
  summary: 'checkout without, then with a webhook endpoint on loopback: delivered, lag, orders/s',
  async run(ctx) {
    const receiver = await LagReceiver.start();
    try {
      const seats = await createEvent(ctx);
      const ring = new SessionRing(await createSessions(ctx.server, SESSIONS));
      const half = Math.floor(seats.length / 2);
      ctx.log('webhooks: checkout without an endpoint');
      const off = await phase(ctx, seats.slice(0, half), ring, 0);
      const secret = await addEndpoint(ctx, receiver.url);
      receiver.secret = secret;
      ctx.log('webhooks: checkout with an endpoint');
      const on = await phase(ctx, seats.slice(half), ring, 1);
      const deadline = Date.now() + DELIVERY_DEADLINE_MS;
      while (Date.now() < deadline && on.orderIds.some((id) => !receiver.lags.has(id))) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return judge(ctx, off, on, receiver);
    } finally {
      await receiver.close();
    }
  },
};

interface Phase {
  m: Measured<OrderOp>;
  orderIds: string[];
  ordersPerS: number;
}

/** Holds one seat per order (not timed), then orders them for the run's duration. */
async function phase(
  ctx: BenchContext,
  seats: readonly string[],
  ring: SessionRing,
  round_: number,
): Promise<Phase> {
  const planned = seats
    .slice(0, Math.min(seats.length, ring.sessions.length * 2))
    .map((seatId, i) => ({
      session: i % ring.sessions.length,
      seatIds: [seatId],
      key: `wh-${round_}-${i}`,
    }));
  const { results } = await mapLimit(planned, 64, Date.now() + 60_000, async (op) => {
    const api = clientOf(ctx.server, { token: ring.token(op.session) });
    const reply = await orRefusal(api.hold(EVENT_ID, op.seatIds));
    return reply instanceof ApiError ? undefined : op;
  });
  const held = results.filter((op): op is OrderOp => op !== undefined);
  const orderIds: string[] = [];
  let next = 0;
  const m = await measure<OrderOp>(ctx, {
    url: ctx.server.url,
    connections: ctx.connections,
    durationS: ctx.durationS,
    maxRequests: held.length,
    next() {
      const op = held[next++];
      if (op === undefined) return null;
      return {
        op,
        method: 'POST',
        path: `/api/events/${EVENT_ID}/orders`,
        token: ring.token(op.session),
        headers: { 'idempotency-key': op.key },
        body: { seatIds: op.seatIds },
      };
    },
    done(_op, status, body) {
      if (status !== 201) return;
      const order = json(body);
      if (typeof order === 'object' && order !== null && 'orderId' in order) {
        if (typeof order.orderId === 'string') orderIds.push(order.orderId);
      }
    },
  });
  const ordersPerS = m.load.elapsedS > 0 ? orderIds.length / m.load.elapsedS : 0;
  return { m, orderIds, ordersPerS };
}

function judge(ctx: BenchContext, off: Phase, on: Phase, receiver: LagReceiver): ScenarioResult {
  const missing = on.orderIds.filter((id) => !receiver.lags.has(id));
  const lags = sortedCopy([...receiver.lags.values()]);
  const lagP50 = percentile(lags, 50);
  const lagP99 = percentile(lags, 99);
  const ratio = off.ordersPerS > 0 ? on.ordersPerS / off.ordersPerS : 0;
  const order = latencyOf(on.m.load, 'all');
  const classes = statusClasses(on.m.load, [201], [409]);
  return {
    name: 'webhooks',
    throughput: { value: round(on.ordersPerS, 0), unit: 'orders/s' },
    p50Ms: order.p50,
    p99Ms: order.p99,
    errors: classes.errors + statusClasses(off.m.load, [201], [409]).errors,
    targets: [
      {
        label: 'every order.confirmed delivered',
        measured: `${on.orderIds.length - missing.length} of ${on.orderIds.length}`,
        pass: missing.length === 0,
      },
      {
        label: `delivery lag p99 ≤ ${LAG_P99_TARGET_MS.toLocaleString('en-US')} ms`,
        measured: `p50 ${lagP50 ?? '-'} ms, p99 ${lagP99 ?? '-'} ms`,
        pass: ctx.quick ? null : lagP99 !== null && lagP99 <= LAG_P99_TARGET_MS,
      },
      {
        label: `orders/s with ≥ ${THROUGHPUT_RATIO_TARGET} × without`,
        measured: `${round(on.ordersPerS, 0)} vs ${round(off.ordersPerS, 0)} (${round(ratio, 2)})`,
        pass: ctx.quick ? null : ratio >= THROUGHPUT_RATIO_TARGET,
      },
    ],
    violations:
      missing.length === 0
        ? []
        : [
            {
              invariant: 'webhook-delivered',
              eventId: EVENT_ID,
              detail: `${missing.length} orders never delivered`,
              seats: missing.slice(0, 10),
            },
          ],
    details: {
      without: {
        ...runDetails(off.m),
        orders: off.orderIds.length,
        ordersPerS: round(off.ordersPerS, 0),
      },
      with: {
        ...runDetails(on.m),
        orders: on.orderIds.length,
        ordersPerS: round(on.ordersPerS, 0),
      },
      delivered: receiver.lags.size,
      duplicates: receiver.duplicates,
      badSignatures: receiver.badSignatures,
      lagMs: { p50: lagP50, p99: lagP99, max: lags.at(-1) ?? null },
    },
  };
}

async function createEvent(ctx: BenchContext): Promise<string[]> {
  const venue = stadium();
  const api = clientOf(ctx.server, { timeoutMs: 120_000 });
  await api
    .createEvent({
      id: EVENT_ID,
      name: 'Bench Webhooks Night',
      venue,
      startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      currency: 'USD',
    })
    .catch(rethrowAs('creating the webhooks event'));
  const seatIds = seatedSections(venue).flatMap((s) =>
    s.rows.flatMap((r) => r.seats.map((x) => x.id)),
  );
  return shuffled(seatIds, seededRandom(16));
}

async function addEndpoint(ctx: BenchContext, url: string): Promise<string> {
  const reply = await fetch(`${ctx.server.url}/api/admin/webhooks`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${ctx.server.adminToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ url, events: ['order.confirmed'] }),
  });
  const body = (await reply.json()) as { secret?: unknown };
  if (reply.status !== 201 || typeof body.secret !== 'string') {
    throw new Error(`creating the webhook endpoint: ${reply.status} ${JSON.stringify(body)}`);
  }
  return body.secret;
}

/** Receives the deliveries: checks each signature, keeps each order's first lag. */
class LagReceiver {
  readonly lags = new Map<string, number>();
  duplicates = 0;
  badSignatures = 0;
  secret = '';
  private webhook: Webhook | undefined;
  private readonly server = createServer((req, res) => this.handle(req, res));

  static async start(): Promise<LagReceiver> {
    const receiver = new LagReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const receivedAt = Date.now();
      this.webhook ??= new Webhook(this.secret);
      try {
        const body = this.webhook.verify(
          Buffer.concat(chunks).toString('utf8'),
          req.headers as Record<string, string>,
        ) as {
          timestamp: string;
          data: { orderId: string };
        };
        if (this.lags.has(body.data.orderId)) this.duplicates++;
        else this.lags.set(body.data.orderId, receivedAt - Date.parse(body.timestamp));
        res.writeHead(204).end();
      } catch {
        this.badSignatures++;
        res.writeHead(400).end();
      }
    });
  }
}
