// webhooks: checkout with and without a webhook endpoint, in the same run (issue 16). On an event
// of its own (the stadium's venue, so no other scenario's seats or sessions are touched), fresh
// sessions order 1-seat holds (held beforehand, not timed) at a fixed 1,000 orders/s for the
// run's duration twice: first with no endpoint, then with one subscribed to order.confirmed on a
// receiver in this process (loopback). Every 201 order must be delivered (signature checked with
// standardwebhooks); the lag is receipt time minus the event's timestamp; the achieved rate and
// the orders' p99 with the endpoint are compared with those without, and so is the server's CPU
// per order (from the start of the orders until the last of them was delivered). A second,
// informational row orders as fast as the server answers, without then with the endpoint, so
// that what webhooks cost at saturation stays visible.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { stadium } from '@ticketmain/server/venue';
import { ApiError } from '@ticketmain/client';
import { seatedSections } from '@ticketmain/protocol';
import { Webhook } from 'standardwebhooks';
import { clientOf, orRefusal, rethrowAs } from '../api.js';
import { json } from '../keepalive.js';
import { machineCpu, machineCpuSince } from '../machine.js';
import { runPaced, type PacedResult } from '../pace.js';
import {
  busyCores,
  latencyOf,
  measure,
  runDetails,
  statusClasses,
  type BenchContext,
  type Measured,
  type Scenario,
  type ScenarioResult,
  type Target,
} from '../scenario.js';
import { createSessions, SessionRing } from '../sessions.js';
import { mapLimit, percentile, round, seededRandom, shuffled, sleep, sortedCopy } from '../util.js';

const EVENT_ID = 'bench-webhooks';
const SESSIONS = 6_000;
/** The offered load. */
const ORDERS_PER_S = 1_000;
const PACED_CONNECTIONS = 32;
const PACED_MAX_IN_FLIGHT = 512;
/** Orders of each saturating phase (the informational row): bounded, they run out first. */
const SATURATION_ORDERS = 10_000;
const SATURATION_ORDERS_QUICK = 3_000;
const LAG_P99_TARGET_MS = 2_000;
const THROUGHPUT_RATIO_TARGET = 0.9;
/** The orders' p99 with the endpoint as a multiple of the p99 without that would count as unchanged. */
const ORDER_P99_RATIO_TARGET = 1.5;
const DELIVERY_DEADLINE_MS = 120_000;
/** After the last order (or delivery): in-flight work of the window ends in the reading. */
const SETTLE_MS = 300;

interface OrderOp {
  token: string;
  seatIds: string[];
  key: string;
}

export const webhooks: Scenario = {
  name: 'webhooks',
  summary: 'checkout at 1,000 orders/s without, then with a webhook endpoint on loopback',
  async run(ctx) {
    const receiver = await LagReceiver.start();
    try {
      const seats = await createEvent(ctx);
      const ring = new SessionRing(await createSessions(ctx.server, SESSIONS));
      // Without, with, without (half the duration each time without): the machine's drift and
      // the warming up of the server weigh on both sides alike.
      const half = ctx.durationS / 2;
      const perHalf = Math.ceil(ORDERS_PER_S * half);
      const saturated = ctx.quick ? SATURATION_ORDERS_QUICK : SATURATION_ORDERS;
      const pool = new SeatPool(seats);
      const rate = `${ORDERS_PER_S.toLocaleString('en-US')} orders/s`;
      ctx.log(`webhooks: ${rate} without an endpoint (first half)`);
      const offFirst = await pacedPhase(ctx, await hold(ctx, pool.take(perHalf), ring, 'p0'), half);
      let endpoint = await addEndpoint(ctx, receiver.url);
      receiver.useSecret(endpoint.secret);
      ctx.log(`webhooks: ${rate} with an endpoint`);
      const onHeld = await hold(ctx, pool.take(2 * perHalf), ring, 'p1');
      const on = await pacedPhase(ctx, onHeld, ctx.durationS, receiver);
      await removeEndpoint(ctx, endpoint.id);
      ctx.log(`webhooks: ${rate} without an endpoint (second half)`);
      const offSecond = await pacedPhase(
        ctx,
        await hold(ctx, pool.take(perHalf), ring, 'p2'),
        half,
      );
      const off = pooledPaced(offFirst, offSecond);
      ctx.log('webhooks: orders at saturation without an endpoint');
      const offSat = await saturatedPhase(ctx, await hold(ctx, pool.take(saturated), ring, 's0'));
      endpoint = await addEndpoint(ctx, receiver.url);
      receiver.useSecret(endpoint.secret);
      ctx.log('webhooks: orders at saturation with an endpoint');
      const onSat = await saturatedPhase(ctx, await hold(ctx, pool.take(saturated), ring, 's1'));
      const deliveredBy = await receiver.waitFor(onSat.orderIds, DELIVERY_DEADLINE_MS);
      onSat.deliveredAfterS = (deliveredBy - onSat.startedAt) / 1000;
      return [judgePaced(ctx, off, on, receiver), judgeSaturated(offSat, onSat, receiver)];
    } finally {
      await receiver.close();
    }
  },
};

/** The next session to hold a seat. */
let holdTurn = 0;

/** The event's seats, shuffled, handed out once each. */
class SeatPool {
  private next = 0;
  constructor(private readonly seats: readonly string[]) {}

  take(count: number): string[] {
    const taken = this.seats.slice(this.next, this.next + count);
    this.next += taken.length;
    return taken;
  }
}

/**
 * Holds one seat per order (not timed). The sessions take turns across the phases, so that the
 * holds a slow run leaves unordered are spread evenly (a session holds 8 seats at most).
 */
async function hold(
  ctx: BenchContext,
  seats: readonly string[],
  ring: SessionRing,
  tag: string,
): Promise<OrderOp[]> {
  const planned = seats.map((seatId, i) => ({
    token: ring.token(holdTurn++ % ring.sessions.length),
    seatIds: [seatId],
    key: `wh-${tag}-${i}`,
  }));
  const { results } = await mapLimit(planned, 64, Date.now() + 120_000, async (op) => {
    const api = clientOf(ctx.server, { token: op.token });
    const reply = await orRefusal(api.hold(EVENT_ID, op.seatIds));
    return reply instanceof ApiError ? undefined : op;
  });
  return results.filter((op): op is OrderOp => op !== undefined);
}

function orderRequest(op: OrderOp) {
  return {
    op,
    method: 'POST' as const,
    path: `/api/events/${EVENT_ID}/orders`,
    token: op.token,
    headers: { 'idempotency-key': op.key },
    body: { seatIds: op.seatIds },
  };
}

function orderIdOf(status: number, body: string): string | undefined {
  if (status !== 201) return undefined;
  const order = json(body);
  if (typeof order === 'object' && order !== null && 'orderId' in order) {
    if (typeof order.orderId === 'string') return order.orderId;
  }
  return undefined;
}

interface PacedPhase {
  paced: PacedResult;
  orderIds: string[];
  ordersPerS: number;
  /** Server CPU from the first order until the last was answered (and delivered), per order. */
  serverCpuMs: number;
  windowS: number;
  machineBusyCores: number | null;
  loadAverage1m: number;
  /** With an endpoint: seconds from the first order until the last delivery arrived. */
  deliveredAfterS: number | null;
}

/** Orders the held seats at ORDERS_PER_S; with a receiver, waits until all are delivered. */
async function pacedPhase(
  ctx: BenchContext,
  held: readonly OrderOp[],
  durationS: number,
  receiver: LagReceiver | null = null,
): Promise<PacedPhase> {
  const orderIds: string[] = [];
  const orders = orderSource(held, orderIds);
  const loadAverage1m = loadavg()[0] ?? 0;
  const machineBefore = machineCpu();
  const cpuBefore = ctx.server.cpuMs();
  const started = Date.now();
  const paced = await runPaced<OrderOp>({
    url: ctx.server.url,
    rate: ORDERS_PER_S,
    durationS,
    connections: PACED_CONNECTIONS,
    maxInFlight: PACED_MAX_IN_FLIGHT,
    ...orders,
  });
  let deliveredAfterS: number | null = null;
  if (receiver !== null) {
    const deliveredBy = await receiver.waitFor(orderIds, DELIVERY_DEADLINE_MS);
    deliveredAfterS = (deliveredBy - started) / 1000;
  }
  await sleep(SETTLE_MS);
  const serverCpuMs = ctx.server.cpuMs() - cpuBefore;
  const machine = machineCpuSince(machineBefore, machineCpu());
  const ordersPerS = paced.elapsedS > 0 ? orderIds.length / paced.elapsedS : 0;
  return {
    paced,
    orderIds,
    ordersPerS,
    serverCpuMs,
    windowS: (Date.now() - started) / 1000,
    machineBusyCores: busyCores(machine),
    loadAverage1m,
    deliveredAfterS,
  };
}

/** Two paced runs of one configuration as one: counts and CPU add up, latencies together. */
function pooledPaced(a: PacedPhase, b: PacedPhase): PacedPhase {
  const statuses: Record<string, number> = { ...a.paced.statuses };
  for (const [code, n] of Object.entries(b.paced.statuses))
    statuses[code] = (statuses[code] ?? 0) + n;
  const paced: PacedResult = {
    elapsedS: a.paced.elapsedS + b.paced.elapsedS,
    sent: a.paced.sent + b.paced.sent,
    responses: a.paced.responses + b.paced.responses,
    statuses,
    failed: a.paced.failed + b.paced.failed,
    behind: a.paced.behind + b.paced.behind,
    idle: a.paced.idle + b.paced.idle,
    latenciesMs: [...a.paced.latenciesMs, ...b.paced.latenciesMs],
  };
  const windowS = a.windowS + b.windowS;
  const busy = (p: PacedPhase) => (p.machineBusyCores ?? 0) * p.windowS;
  return {
    paced,
    orderIds: [...a.orderIds, ...b.orderIds],
    ordersPerS: paced.elapsedS > 0 ? (a.orderIds.length + b.orderIds.length) / paced.elapsedS : 0,
    serverCpuMs: a.serverCpuMs + b.serverCpuMs,
    windowS,
    machineBusyCores:
      a.machineBusyCores === null || b.machineBusyCores === null || windowS === 0
        ? null
        : round((busy(a) + busy(b)) / windowS, 2),
    loadAverage1m: a.loadAverage1m,
    deliveredAfterS: null,
  };
}

interface SaturatedPhase {
  m: Measured<OrderOp>;
  orderIds: string[];
  ordersPerS: number;
  startedAt: number;
  deliveredAfterS: number | null;
}

/** Orders the held seats as fast as the server answers (autocannon), until they run out. */
async function saturatedPhase(
  ctx: BenchContext,
  held: readonly OrderOp[],
): Promise<SaturatedPhase> {
  const orderIds: string[] = [];
  const orders = orderSource(held, orderIds);
  const startedAt = Date.now();
  const m = await measure<OrderOp>(ctx, {
    url: ctx.server.url,
    connections: ctx.connections,
    durationS: ctx.durationS,
    maxRequests: held.length,
    ...orders,
  });
  const ordersPerS = m.load.elapsedS > 0 ? orderIds.length / m.load.elapsedS : 0;
  return { m, orderIds, ordersPerS, startedAt, deliveredAfterS: null };
}

function judgePaced(
  ctx: BenchContext,
  off: PacedPhase,
  on: PacedPhase,
  receiver: LagReceiver,
): ScenarioResult {
  const missing = on.orderIds.filter((id) => !receiver.lags.has(id));
  const lags = receiver.lagsOf(on.orderIds);
  const lagP50 = percentile(lags, 50);
  const lagP99 = percentile(lags, 99);
  const ratio = off.ordersPerS > 0 ? on.ordersPerS / off.ordersPerS : 0;
  const offLatency = pacedLatency(off.paced);
  const onLatency = pacedLatency(on.paced);
  const p99Limit =
    offLatency.p99 === null ? null : round(offLatency.p99 * ORDER_P99_RATIO_TARGET, 1);
  const judge = (ok: boolean | null): boolean | null => (ctx.quick ? null : ok);
  const offCpu = cpuUsPerOrder(off);
  const onCpu = cpuUsPerOrder(on);
  const targets: Target[] = [
    {
      label: 'every order.confirmed delivered',
      measured: `${on.orderIds.length - missing.length} of ${on.orderIds.length}`,
      pass: missing.length === 0 && on.orderIds.length > 0,
    },
    {
      label: `delivery lag p99 ≤ ${LAG_P99_TARGET_MS.toLocaleString('en-US')} ms`,
      measured: `p50 ${lagP50 ?? '-'} ms, p99 ${lagP99 ?? '-'} ms`,
      pass: judge(lagP99 !== null && lagP99 <= LAG_P99_TARGET_MS),
    },
    {
      label: `orders/s with ≥ ${THROUGHPUT_RATIO_TARGET} × without (${ORDERS_PER_S.toLocaleString('en-US')}/s offered)`,
      measured: `${round(on.ordersPerS, 0)} vs ${round(off.ordersPerS, 0)} (${round(ratio, 2)})`,
      pass: judge(ratio >= THROUGHPUT_RATIO_TARGET),
    },
    {
      // Not the target, shown beside it: how near its saturation the dispatcher's share
      // of the CPU takes the server at the offered rate.
      label: `order p99 with vs without (informational; ${ORDER_P99_RATIO_TARGET} × would be)`,
      measured: `${onLatency.p99 ?? '-'} vs ${offLatency.p99 ?? '-'} ms (limit ${p99Limit ?? '-'} ms)`,
      pass: null,
    },
    {
      label: 'server CPU/order with − without (informational)',
      measured:
        onCpu === null || offCpu === null
          ? '-'
          : `${round(onCpu - offCpu, 0)} µs (${round(onCpu, 0)} vs ${round(offCpu, 0)})`,
      pass: null,
    },
  ];
  const errors = pacedErrors(off.paced) + pacedErrors(on.paced);
  return {
    name: 'webhooks',
    throughput: { value: round(on.ordersPerS, 0), unit: 'orders/s' },
    p50Ms: onLatency.p50,
    p99Ms: onLatency.p99,
    errors,
    targets,
    violations: missingViolations(missing),
    details: {
      offeredOrdersPerS: ORDERS_PER_S,
      without: pacedPhaseDetails(off),
      with: pacedPhaseDetails(on),
      serverCpuUsPerOrderDelta: onCpu === null || offCpu === null ? null : round(onCpu - offCpu, 1),
      delivered: on.orderIds.length - missing.length,
      duplicates: receiver.duplicates,
      badSignatures: receiver.badSignatures,
      lagMs: { p50: lagP50, p99: lagP99, max: lags.at(-1) ?? null },
    },
  };
}

/** The saturated comparison: no target, so that the cost at saturation stays in view. */
function judgeSaturated(
  offSat: SaturatedPhase,
  onSat: SaturatedPhase,
  receiver: LagReceiver,
): ScenarioResult {
  const missing = onSat.orderIds.filter((id) => !receiver.lags.has(id));
  const lags = receiver.lagsOf(onSat.orderIds);
  const ratio = offSat.ordersPerS > 0 ? onSat.ordersPerS / offSat.ordersPerS : 0;
  const order = latencyOf(onSat.m.load, 'all');
  const offOrder = latencyOf(offSat.m.load, 'all');
  const errors =
    statusClasses(offSat.m.load, [201], [409]).errors +
    statusClasses(onSat.m.load, [201], [409]).errors;
  return {
    name: 'webhooks-saturated',
    throughput: { value: round(onSat.ordersPerS, 0), unit: 'orders/s' },
    p50Ms: order.p50,
    p99Ms: order.p99,
    errors,
    targets: [
      {
        label: 'informational: orders/s at saturation, with vs without',
        measured:
          `${round(onSat.ordersPerS, 0)} vs ${round(offSat.ordersPerS, 0)} (${round(ratio, 2)}), ` +
          `p99 ${order.p99 ?? '-'} vs ${offOrder.p99 ?? '-'} ms`,
        pass: null,
      },
      {
        label: 'every order.confirmed delivered',
        measured: `${onSat.orderIds.length - missing.length} of ${onSat.orderIds.length}`,
        pass: missing.length === 0 && onSat.orderIds.length > 0,
      },
    ],
    violations: missingViolations(missing),
    details: {
      without: {
        ...runDetails(offSat.m),
        orders: offSat.orderIds.length,
        ordersPerS: round(offSat.ordersPerS, 0),
      },
      with: {
        ...runDetails(onSat.m),
        orders: onSat.orderIds.length,
        ordersPerS: round(onSat.ordersPerS, 0),
        deliveredAfterS: onSat.deliveredAfterS === null ? null : round(onSat.deliveredAfterS, 2),
      },
      lagMs: {
        p50: percentile(lags, 50),
        p99: percentile(lags, 99),
        max: lags.at(-1) ?? null,
      },
    },
  };
}

function missingViolations(missing: readonly string[]): ScenarioResult['violations'] {
  return missing.length === 0
    ? []
    : [
        {
          invariant: 'webhook-delivered',
          eventId: EVENT_ID,
          detail: `${missing.length} orders never delivered`,
          seats: missing.slice(0, 10),
        },
      ];
}

function pacedLatency(p: PacedResult): { p50: number | null; p99: number | null } {
  const sorted = sortedCopy(p.latenciesMs);
  const at = (q: number) => {
    const v = percentile(sorted, q);
    return v === null ? null : round(v, 1);
  };
  return { p50: at(50), p99: at(99) };
}

function pacedErrors(p: PacedResult): number {
  let errors = p.failed;
  for (const [code, count] of Object.entries(p.statuses)) {
    if (code !== '201' && code !== '409') errors += count;
  }
  return errors;
}

function cpuUsPerOrder(phase: PacedPhase): number | null {
  return phase.orderIds.length > 0 ? (phase.serverCpuMs * 1000) / phase.orderIds.length : null;
}

function pacedPhaseDetails(phase: PacedPhase): Record<string, unknown> {
  const latency = pacedLatency(phase.paced);
  const cpu = cpuUsPerOrder(phase);
  return {
    loadAverage1m: round(phase.loadAverage1m, 2),
    elapsedS: round(phase.paced.elapsedS, 2),
    sent: phase.paced.sent,
    statuses: phase.paced.statuses,
    failed: phase.paced.failed,
    behind: phase.paced.behind,
    idle: phase.paced.idle,
    orders: phase.orderIds.length,
    ordersPerS: round(phase.ordersPerS, 0),
    orderP50Ms: latency.p50,
    orderP99Ms: latency.p99,
    // The window: from the first order until the last was answered (with an endpoint: and
    // delivered), plus a short settle.
    windowS: round(phase.windowS, 2),
    serverCpuMs: round(phase.serverCpuMs, 0),
    serverCpuUsPerOrder: cpu === null ? null : round(cpu, 1),
    serverCores: phase.windowS > 0 ? round(phase.serverCpuMs / 1000 / phase.windowS, 2) : null,
    machineBusyCores: phase.machineBusyCores,
    deliveredAfterS: phase.deliveredAfterS === null ? null : round(phase.deliveredAfterS, 2),
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

async function addEndpoint(
  ctx: BenchContext,
  url: string,
): Promise<{ id: string; secret: string }> {
  const reply = await fetch(`${ctx.server.url}/api/admin/webhooks`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${ctx.server.adminToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ url, events: ['order.confirmed'] }),
  });
  const body = (await reply.json()) as { id?: unknown; secret?: unknown };
  if (reply.status !== 201 || typeof body.secret !== 'string' || typeof body.id !== 'string') {
    throw new Error(`creating the webhook endpoint: ${reply.status} ${JSON.stringify(body)}`);
  }
  return { id: body.id, secret: body.secret };
}

async function removeEndpoint(ctx: BenchContext, id: string): Promise<void> {
  const reply = await fetch(`${ctx.server.url}/api/admin/webhooks/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${ctx.server.adminToken}` },
  });
  if (reply.status !== 204) {
    throw new Error(`deleting the webhook endpoint: ${reply.status} ${await reply.text()}`);
  }
}

/** Receives the deliveries: checks each signature, keeps each order's first lag. */
class LagReceiver {
  readonly lags = new Map<string, number>();
  duplicates = 0;
  badSignatures = 0;
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

  /** The endpoint now subscribed: its deliveries are checked with its secret. */
  useSecret(secret: string): void {
    this.webhook = new Webhook(secret);
  }

  /** Waits until every one of `orderIds` was delivered, or the deadline; the time it ended. */
  async waitFor(orderIds: readonly string[], timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let from = 0;
    while (Date.now() < deadline) {
      while (from < orderIds.length && this.lags.has(orderIds[from] ?? '')) from++;
      if (from === orderIds.length) break;
      await sleep(20);
    }
    return Date.now();
  }

  /** The lags of these orders' first deliveries, sorted. */
  lagsOf(orderIds: readonly string[]): number[] {
    const lags: number[] = [];
    for (const id of orderIds) {
      const lag = this.lags.get(id);
      if (lag !== undefined) lags.push(lag);
    }
    return sortedCopy(lags);
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
      try {
        if (this.webhook === undefined) throw new Error('no endpoint');
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

/** The held 1-seat orders in turn, each answered order's id pushed to `orderIds`. */
function orderSource(held: readonly OrderOp[], orderIds: string[]) {
  let next = 0;
  return {
    next() {
      const op = held[next++];
      return op === undefined ? null : orderRequest(op);
    },
    done(_op: OrderOp, status: number, body: string) {
      const id = orderIdOf(status, body);
      if (id !== undefined) orderIds.push(id);
    },
  };
}
