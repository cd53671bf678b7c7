// checkin: the doors open. On an event of its own (a stadium venue of 20,000 seats; --quick:
// 2,000), fresh sessions buy every seat through the API before the timed phase (8 seats an
// order, the session limit), then 20 gates, each with a scanner token of its own, scan every
// ticket twice, from two different gates, the two scans sent back to back so that they race.
// Each ticket must be admitted exactly once (one 201 and one 409 ALREADY_CHECKED_IN), and
// PostgreSQL must afterwards have every ticket checked in.
import { randomUUID } from 'node:crypto';
import { stadium } from '@ticketmain/server/venue';
import { seatedSections } from '@ticketmain/protocol';
import { ApiError } from '@ticketmain/client';
import { clientOf, failure, orRefusal, rethrowAs } from '../api.js';
import type { Violation } from '../invariants.js';
import {
  measure,
  p99Target,
  runDetails,
  statusClasses,
  type BenchContext,
  type Scenario,
  type ScenarioResult,
} from '../scenario.js';
import { createSessions } from '../sessions.js';
import { mapLimit, round } from '../util.js';

const EVENT_ID = 'bench-checkin';
const TICKETS = 20_000;
const QUICK_TICKETS = 2_000;
const GATES = 20;
/** Two connections a gate: a gate's scanner sends its next scan while one is answered. */
const CONNECTIONS = GATES * 2;
const SEATS_PER_ORDER = 8;
const THROUGHPUT_RATIO_TARGET = 0.3;
const P99_TARGET_MS = 50;
/** The timed phase ends when every scan is answered; this only bounds it. */
const MAX_SCAN_S = 300;
const SETUP_TIMEOUT_MS = 300_000;

interface ScanOp {
  ticket: number;
  gate: number;
}

interface Ticket {
  ticketId: string;
  code: string;
}

export const checkin: Scenario = {
  name: 'checkin',
  summary: '20,000 tickets scanned twice each from 20 gates: scans/s, exactly one admission each',
  async run(ctx) {
    const count = ctx.quick ? QUICK_TICKETS : TICKETS;
    const setupStarted = Date.now();
    const tickets = await buyAll(ctx, count);
    const admin = clientOf(ctx.server);
    const gates = await Promise.all(
      Array.from({ length: GATES }, () =>
        admin.createScannerToken(EVENT_ID).catch(rethrowAs('creating a scanner token')),
      ),
    );
    const setupS = round((Date.now() - setupStarted) / 1000, 1);
    ctx.log(
      `checkin: ${tickets.length} tickets bought in ${setupS} s; scanning from ${GATES} gates`,
    );

    const admitted = new Uint16Array(tickets.length);
    const refused = new Uint16Array(tickets.length);
    let next = 0;
    const m = await measure<ScanOp>(ctx, {
      url: ctx.server.url,
      connections: CONNECTIONS,
      durationS: MAX_SCAN_S,
      maxRequests: tickets.length * 2,
      next() {
        const i = next++;
        const index = i >> 1;
        const ticket = tickets[index];
        if (ticket === undefined) return null;
        // Ticket n is scanned at gate n mod 20, then at another gate, right after.
        const first = index % GATES;
        const gate = i % 2 === 0 ? first : (first + 1 + (index % (GATES - 1))) % GATES;
        return {
          op: { ticket: index, gate },
          method: 'POST',
          path: `/api/events/${EVENT_ID}/checkins`,
          token: gates[gate],
          body: { code: ticket.code, nonce: `${index}-${i % 2}` },
        };
      },
      done(op, status) {
        if (status === 201) admitted[op.ticket] = (admitted[op.ticket] ?? 0) + 1;
        else if (status === 409) refused[op.ticket] = (refused[op.ticket] ?? 0) + 1;
      },
    });

    const violations = await checkAdmissions(ctx, tickets, admitted, refused);
    const scansPerS = m.rps;
    const ceiling = ctx.results.get('ceiling')?.throughput.value;
    const ratio = ceiling ? scansPerS / ceiling : null;
    const classes = statusClasses(m.load, [201], [409]);
    const once = admitted.filter((n) => n === 1).length;
    const result: ScenarioResult = {
      name: 'checkin',
      throughput: { value: round(scansPerS, 0), unit: 'scans/s' },
      p50Ms: m.p50Ms,
      p99Ms: m.p99Ms,
      errors: classes.errors,
      targets: [
        {
          label: `throughput ≥ ${THROUGHPUT_RATIO_TARGET} × ceiling`,
          measured: ratio === null ? 'no ceiling' : `${ratio.toFixed(2)} ×`,
          pass: ctx.quick || ratio === null ? null : ratio >= THROUGHPUT_RATIO_TARGET,
        },
        p99Target(ctx, m.p99Ms, P99_TARGET_MS),
        {
          label: 'exactly one admission per ticket',
          measured: `${once} of ${tickets.length}`,
          pass: once === tickets.length && violations.length === 0,
        },
      ],
      violations,
      details: {
        ...runDetails(m),
        tickets: tickets.length,
        gates: GATES,
        connections: CONNECTIONS,
        setupS,
        setup: 'every seat bought through the API (hold 8, order 8, per fresh session)',
        admittedOnce: once,
        serverErrors: classes.serverErrors,
        unexpectedStatuses: classes.unexpected,
      },
    };
    return result;
  },
};

/** Creates the event and buys every seat, 8 an order: the tickets with their codes. */
async function buyAll(ctx: BenchContext, count: number): Promise<Ticket[]> {
  const venue = stadium({ seats: count });
  await clientOf(ctx.server, { timeoutMs: 60_000 })
    .createEvent({
      id: EVENT_ID,
      name: 'Bench Doors Open',
      venue,
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      currency: 'USD',
    })
    .catch(rethrowAs('creating the check-in event'));
  const seatIds = seatedSections(venue).flatMap((s) =>
    s.rows.flatMap((r) => r.seats.map((x) => x.id)),
  );
  const batches: string[][] = [];
  for (let i = 0; i < seatIds.length; i += SEATS_PER_ORDER) {
    batches.push(seatIds.slice(i, i + SEATS_PER_ORDER));
  }
  const sessions = await createSessions(ctx.server, batches.length);
  const failures: string[] = [];
  const { results } = await mapLimit(
    batches,
    32,
    Date.now() + SETUP_TIMEOUT_MS,
    async (seats, i) => {
      const api = clientOf(ctx.server, { token: sessions[i]?.token, timeoutMs: 30_000 });
      try {
        await api.hold(EVENT_ID, seats);
        const order = await api.placeOrder(EVENT_ID, seats, randomUUID());
        return order.tickets.map((t) => ({ ticketId: t.ticketId, code: t.code }));
      } catch (error) {
        if (failures.length < 5) failures.push(failure(error));
        return [];
      }
    },
  );
  const tickets = results.flatMap((r) => r ?? []);
  if (tickets.length < count) {
    throw new Error(`bought ${tickets.length} of ${count} tickets: ${failures.join('; ')}`);
  }
  return tickets;
}

/** One 201 and one 409 per ticket from the answers, and every ticket checked in in PostgreSQL. */
async function checkAdmissions(
  ctx: BenchContext,
  tickets: readonly Ticket[],
  admitted: Uint16Array,
  refused: Uint16Array,
): Promise<Violation[]> {
  const violations: Violation[] = [];
  const twice = tickets.filter((_, i) => (admitted[i] ?? 0) > 1).map((t) => t.ticketId);
  if (twice.length > 0) {
    violations.push({
      invariant: 'one-admission',
      eventId: EVENT_ID,
      detail: `${twice.length} tickets admitted more than once`,
      seats: twice.slice(0, 10),
    });
  }
  const unanswered = tickets
    .filter((_, i) => (admitted[i] ?? 0) + (refused[i] ?? 0) !== 2 || admitted[i] === 0)
    .map((t) => t.ticketId);
  if (unanswered.length > 0) {
    violations.push({
      invariant: 'one-admission',
      eventId: EVENT_ID,
      detail: `${unanswered.length} tickets without exactly one 201 and one 409 for their two scans`,
      seats: unanswered.slice(0, 10),
    });
  }
  const { rows } = await ctx.stores.pg.query<{ live: number; checked: number }>(
    `SELECT count(*)::int AS live, count(checked_in_at)::int AS checked
       FROM "${ctx.stores.schema}".tickets WHERE event_id = $1 AND status = 'live'`,
    [EVENT_ID],
  );
  const { live = 0, checked = 0 } = rows[0] ?? {};
  if (live !== tickets.length || checked !== tickets.length) {
    violations.push({
      invariant: 'one-admission',
      eventId: EVENT_ID,
      detail: `PostgreSQL: ${checked} of ${live} live tickets checked in, ${tickets.length} bought`,
      seats: [],
    });
  }
  // A third scan of a few, with a gate's token and a fresh nonce: refused, already in.
  const gate = await clientOf(ctx.server).createScannerToken(EVENT_ID);
  const api = clientOf(ctx.server);
  for (const ticket of tickets.slice(0, 5)) {
    const reply = await orRefusal(
      api.withScannerToken(gate).checkIn(EVENT_ID, ticket.code, randomUUID()),
    );
    if (!(reply instanceof ApiError && reply.code === 'ALREADY_CHECKED_IN')) {
      violations.push({
        invariant: 'one-admission',
        eventId: EVENT_ID,
        detail: `a third scan of ${ticket.ticketId} was not refused ALREADY_CHECKED_IN`,
        seats: [ticket.ticketId],
      });
    }
  }
  return violations;
}
