// launch-queue: an on-sale behind the waiting room. 5,000 buyers (--quick: 1,000) join the
// pre-queue of a 900-seat event of its own; the sale starts, the draw numbers them, admission runs
// at 6,000 a minute, and every admitted buyer asks for 1–4 best-available seats and buys them,
// until the event is sold out. Meanwhile buyers far down the line try to hold too (each must get
// 403 QUEUE_ADMISSION_REQUIRED). Invariants afterwards: every 201 hold was an admitted session's;
// the admitted are exactly the numbers 1..servedThrough; every seat sold once (the ledger, the
// 201 orders); and no entry left waiting: the rest of the line is `closed`.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ApiError, TicketmainClient } from '@ticketmain/client';
import { clientOf, orRefusal } from '../api.js';
import type { Violation } from '../invariants.js';
import type { Scenario } from '../scenario.js';
import { mapLimit, percentile, round, sortedCopy } from '../util.js';
import { enoughSessions, queuedArena, startSalesIn } from './queue-shared.js';

const EVENT_ID = 'bench-launch-queue';
const BUYERS = 5_000;
const QUICK_BUYERS = 1_000;
const ADMIT_PER_MINUTE = 6_000;
const WORKERS = 64;
const BOUND_S = 120;
const CONCURRENCY = 32;

interface Buyer {
  index: number;
  client: TicketmainClient;
  ticketId: string;
  number: number;
}

const isRefusal = (x: unknown): x is ApiError =>
  typeof x === 'object' && x !== null && 'status' in x && 'code' in x;

export const launchQueue: Scenario = {
  name: 'launch-queue',
  summary: '5,000 buyers through the pre-queue, the draw and admission at 6,000/min to sold out',
  async run(ctx) {
    const load = loadavg()[0] ?? 0;
    const count = ctx.quick ? QUICK_BUYERS : BUYERS;
    const sessions = await enoughSessions(ctx, count);
    const { seatIds, opensAt } = await queuedArena(ctx.server, EVENT_ID, ADMIT_PER_MINUTE);
    const clients = sessions.map((s) => clientOf(ctx.server, { token: s.token }));
    const violations: Violation[] = [];

    // The pre-queue.
    const joinStart = performance.now();
    let joinRefusals = 0;
    const joins = await mapLimit(clients, CONCURRENCY, Date.now() + 120_000, async (c) => {
      // Joining is idempotent: a refusal (a 503 on the loaded machine) is asked again.
      for (let tries = 0; tries < 5; tries++) {
        const e = await orRefusal(c.joinQueue(EVENT_ID));
        if (!isRefusal(e)) return e;
        joinRefusals++;
        await new Promise((r) => setTimeout(r, 200));
      }
      return undefined;
    });
    const joinS = (performance.now() - joinStart) / 1000;
    const tickets = joins.results.map((e) => e?.ticketId);

    // The draw, then every buyer's number from the audit.
    const salesStartAt = await startSalesIn(ctx.server, EVENT_ID, opensAt, ADMIT_PER_MINUTE, 1_000);
    const api = clientOf(ctx.server);
    let audit = await orRefusal(api.queueAudit(EVENT_ID));
    while (isRefusal(audit)) {
      await new Promise((r) => setTimeout(r, 50));
      audit = await orRefusal(api.queueAudit(EVENT_ID));
    }
    const drawnAt = Date.now();
    const numberOf = new Map(audit.prequeue.map((e) => [e.ticketId, e.number]));
    const buyers: Buyer[] = [];
    tickets.forEach((ticketId, index) => {
      const number = ticketId === undefined ? undefined : numberOf.get(ticketId);
      if (ticketId !== undefined && number !== undefined) {
        buyers.push({ index, client: clients[index]!, ticketId, number });
      }
    });
    buyers.sort((a, b) => a.number - b.number);
    ctx.log(`launch-queue: ${buyers.length} drawn, selling`);

    // Admitted buyers in number order, as servedThrough says; holds best, then buys.
    const held = new Set<number>(); // buyer indexes with a 201 hold
    const orders: Array<{ orderId: string; seatIds: string[] }> = [];
    const holdMs: number[] = [];
    const statuses: Record<string, number> = {};
    let served = 0;
    let soldOut = false;
    let cursor = 0;
    let gated = 0;
    let gateBreaches = 0;
    let errors = 0;
    const note = (status: number) => (statuses[status] = (statuses[status] ?? 0) + 1);
    const probe = buyers[buyers.length - 1]!.client;
    const deadline = Date.now() + BOUND_S * 1_000;
    const watch = (async () => {
      while (!soldOut && Date.now() < deadline) {
        const e = await orRefusal(probe.queueEntry(EVENT_ID));
        if (!isRefusal(e)) {
          served = e.servedThrough;
          if (e.status === 'closed') soldOut = true;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const buy = async (b: Buyer): Promise<void> => {
      for (let quantity = 1 + (b.number % 4); quantity >= 1;) {
        const t = performance.now();
        const hold = await orRefusal(b.client.holdBest(EVENT_ID, { quantity }));
        holdMs.push(performance.now() - t);
        if (isRefusal(hold)) {
          note(hold.status);
          if (hold.code === 'NO_SEATS_AVAILABLE') {
            quantity--;
            continue;
          }
          errors++;
          return;
        }
        note(201);
        held.add(b.index);
        const seats = hold.holds.map((h) => h.seatId);
        const order = await orRefusal(b.client.placeOrder(EVENT_ID, seats, `lq-${b.ticketId}`));
        if (isRefusal(order)) {
          note(order.status);
          errors++;
          for (const s of seats) await orRefusal(b.client.release(EVENT_ID, s));
          return;
        }
        orders.push({ orderId: order.orderId, seatIds: seats });
        return;
      }
    };
    const worker = async () => {
      while (!soldOut && Date.now() < deadline) {
        const b = buyers[cursor];
        if (b !== undefined && b.number <= served) {
          cursor++;
          await buy(b);
          continue;
        }
        // Nobody admitted is waiting: one far down the line tries its luck at the gate.
        const far = buyers[Math.min(buyers.length - 2, served + 200 + (gated % 500))];
        if (far !== undefined && far.number > served + 100) {
          gated++;
          const hold = await orRefusal(far.client.holdBest(EVENT_ID, { quantity: 1 }));
          if (!isRefusal(hold)) {
            gateBreaches++;
            held.add(far.index);
            for (const h of hold.holds) await orRefusal(far.client.release(EVENT_ID, h.seatId));
          } else if (hold.code !== 'QUEUE_ADMISSION_REQUIRED') errors++;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    await Promise.all([watch, ...Array.from({ length: WORKERS }, worker)]);
    const sellOutS = soldOut ? (Date.now() - drawnAt) / 1000 : null;

    // Afterwards: every buyer's entry.
    await new Promise((r) => setTimeout(r, 1_500));
    const finals = await mapLimit(buyers, CONCURRENCY, Date.now() + 120_000, async (b) => {
      // A refusal (a 503 on the loaded machine) is asked again.
      for (let tries = 0; tries < 5; tries++) {
        const e = await orRefusal(b.client.queueEntry(EVENT_ID));
        if (!isRefusal(e)) return e;
        await new Promise((r) => setTimeout(r, 200));
      }
      return undefined;
    });
    const finalServed = Math.max(0, ...finals.results.map((e) => e?.servedThrough ?? 0));
    const admitted = new Set<number>();
    let waiting = 0;
    let outOfOrder = 0;
    finals.results.forEach((e, i) => {
      const b = buyers[i]!;
      if (e === undefined) return;
      if (e.status === 'admitted' || e.status === 'expired') {
        admitted.add(b.index);
        if (b.number > finalServed) outOfOrder++;
      } else if (b.number <= finalServed) outOfOrder++;
      if (e.status === 'waiting') waiting++;
    });
    const withoutAdmission = [...held].filter((i) => !admitted.has(i)).length + gateBreaches;
    if (withoutAdmission > 0) {
      violations.push({
        invariant: 'held-without-admission',
        eventId: EVENT_ID,
        detail: `${withoutAdmission} sessions got a 201 hold without being admitted`,
      });
    }
    if (outOfOrder > 0 || admitted.size !== finalServed) {
      violations.push({
        invariant: 'admitted-out-of-order',
        eventId: EVENT_ID,
        detail: `${admitted.size} admitted, servedThrough ${finalServed}, ${outOfOrder} out of order`,
      });
    }
    if (waiting > 0 || !soldOut) {
      violations.push({
        invariant: 'queue-not-closed',
        eventId: EVENT_ID,
        detail: `${waiting} entries still waiting at the end (sold out: ${soldOut})`,
      });
    }
    const ledger = await ctx.checker.ledgerSold(EVENT_ID);
    const inOrders = orders.flatMap((o) => o.seatIds);
    if (
      ledger.size !== seatIds.length ||
      new Set(inOrders).size !== inOrders.length ||
      inOrders.length !== seatIds.length
    ) {
      violations.push({
        invariant: 'sold-count',
        eventId: EVENT_ID,
        detail: `${seatIds.length} seats: the ledger has ${ledger.size} sold, the 201 orders ${inOrders.length}`,
      });
    }
    violations.push(...(await ctx.checker.checkLedger(EVENT_ID)));
    violations.push(
      ...(await ctx.checker.checkAcknowledgedOrders(
        orders.map((o) => ({ ...o, eventId: EVENT_ID })),
      )),
    );
    const holds = sortedCopy(holdMs);
    return {
      name: 'launch-queue',
      throughput: { value: round(sellOutS ? orders.length / sellOutS : 0, 0), unit: 'orders/s' },
      p50Ms: percentile(holds, 50),
      p99Ms: percentile(holds, 99),
      errors,
      targets: [
        {
          label: `sold out (bound ${BOUND_S} s)`,
          measured:
            sellOutS === null
              ? `NOT sold out: ${orders.length} orders`
              : `${round(sellOutS, 2)} s after the draw, ${orders.length} orders, ${finalServed} admitted`,
          pass: null,
        },
      ],
      violations,
      details: {
        loadAverage1m: round(load, 2),
        buyers: count,
        drawn: buyers.length,
        joinSeconds: round(joinS, 2),
        joinRefusals,
        joinsPerSecond: round(count / joinS, 0),
        drawSecondsAfterStart: round((drawnAt - salesStartAt) / 1000, 2),
        admitPerMinute: ADMIT_PER_MINUTE,
        sellOutSeconds: sellOutS === null ? null : round(sellOutS, 2),
        admitted: admitted.size,
        servedThrough: finalServed,
        orders: orders.length,
        seatsSold: inOrders.length,
        closedAtEnd: finals.results.filter((e) => e?.status === 'closed').length,
        gateProbes: gated,
        gateBreaches,
        statuses,
        latencyColumns: 'POST /holds/best (admitted buyers and gate probes)',
      },
    };
  },
};
