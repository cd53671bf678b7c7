// Check-ins written together (ledger/ticket-sql.ts, group commit): scans that arrive while a
// batch is being written go out in the next one, so two scans of one ticket sent at once often
// share a statement. The conditional UPDATE must still admit exactly one of them. The ledger's
// check-in statements are slowed down here (real PostgreSQL, or PGlite, behind them) so that the
// parallel requests gather into batches, and each batch's scans are recorded to show it.
import { randomUUID } from 'node:crypto';
import type { CheckIn, Problem } from '@ticketmain/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/ledger/db.js';
import { Client, type Reply } from '../support/client.js';
import { ADMIN_TOKEN, MODES, startServer, type TestServer } from '../support/server.js';
import { buy, createEvent, expectProblem } from '../support/tickets.js';

const BATCH_STATEMENT = 'ticketmain_check_in_batch';
/** Long enough for every request sent at once to arrive while the first batch is written. */
const BATCH_DELAY_MS = 300;
const SEATS = ['S00', 'S01', 'S02', 'S03', 'S04', 'S05', 'S06', 'S07'];

describe.each(MODES)('check-ins in one batch (%s)', (mode) => {
  let server: TestServer;
  let eventId: string;
  let gates: [Client, Client];
  /** The ticket ids of every check-in batch the ledger wrote, in order. */
  const batches: string[][] = [];

  /** The ledger's Db with its check-in batches delayed and recorded; everything else as is. */
  const slowCheckIns = (db: Db): Db => ({
    query: async (sql, params, options) => {
      if (options?.prepareAs === BATCH_STATEMENT) {
        batches.push((params?.[2] as string[] | undefined) ?? []);
        await new Promise((resolve) => setTimeout(resolve, BATCH_DELAY_MS));
      }
      return db.query(sql, params, options);
    },
    transaction: (fn) => db.transaction(fn),
    close: () => db.close(),
  });

  beforeAll(async () => {
    server = await startServer(mode, { wrapDb: slowCheckIns });
    eventId = await createEvent(server.url);
    const admin = new Client(server.url, ADMIN_TOKEN);
    const token = async () => {
      const reply = await admin.request<{ token: string }>(
        'POST',
        `/api/admin/events/${eventId}/scanner-tokens`,
      );
      expect(reply.status).toBe(201);
      return new Client(server.url, reply.body.token);
    };
    gates = [await token(), await token()];
  });
  afterAll(() => server?.close());

  const scan = (gate: Client, code: string, nonce: string) =>
    gate.request<CheckIn & Problem>('POST', `/api/events/${eventId}/checkins`, {
      body: { code, nonce },
    });

  /** Sends every scan at once, after a first one that keeps the ledger busy meanwhile. */
  async function atOnce<T>(first: () => Promise<T>, rest: Array<() => Promise<T>>) {
    const busy = first();
    await new Promise((resolve) => setTimeout(resolve, BATCH_DELAY_MS / 6));
    return { first: busy, rest: await Promise.all(rest.map((send) => send())) };
  }

  it('admits each ticket once when both its scans are in the same batch', async () => {
    const { order } = await buy(server.url, eventId, SEATS);
    const { order: opener } = await buy(server.url, eventId, ['S08']);
    const [gateA, gateB] = gates;
    batches.length = 0;
    const { first, rest } = await atOnce(
      () => scan(gateA, opener.tickets[0]?.code ?? '', randomUUID()),
      order.tickets.flatMap((ticket) => [
        () => scan(gateA, ticket.code, randomUUID()),
        () => scan(gateB, ticket.code, randomUUID()),
      ]),
    );
    expect((await first).status).toBe(201);
    // The first batch was the opener alone; both scans of every ticket came in one batch.
    const shared = order.tickets.filter((ticket) =>
      batches.some((batch) => batch.filter((id) => id === ticket.ticketId).length === 2),
    );
    expect(shared).toHaveLength(order.tickets.length);
    expect(batches.length).toBeLessThan(order.tickets.length * 2);
    order.tickets.forEach((ticket, i) => {
      const pair = [rest[2 * i], rest[2 * i + 1]];
      const admitted = pair.filter((r) => r?.status === 201);
      const refused = pair.filter((r) => r?.status === 409);
      expect(admitted).toHaveLength(1);
      expect(refused).toHaveLength(1);
      const checkIn = admitted[0]?.body as CheckIn;
      expect(checkIn).toMatchObject({ ticketId: ticket.ticketId, seatId: ticket.seatId });
      const refusal = refused[0];
      if (refusal === undefined) throw new Error('no refusal');
      expectProblem(refusal, 409, 'ALREADY_CHECKED_IN');
      expect(refusal.body.checkedInAt).toBe(checkIn.checkedInAt);
    });
    const rows = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM tickets
        WHERE event_id = $1 AND ticket_id = ANY ($2::uuid[]) AND checked_in_at IS NOT NULL`,
      [eventId, order.tickets.map((ticket) => ticket.ticketId)],
    );
    expect(rows[0]?.n).toBe(SEATS.length);
  });

  it('answers the same nonce twice in a batch 201 then 200, and a cancelled ticket 409', async () => {
    const { order } = await buy(server.url, eventId, ['S09', 'V1']);
    const { order: opener } = await buy(server.url, eventId, ['V2']);
    const [kept, cancelled] = order.tickets;
    if (kept === undefined || cancelled === undefined) throw new Error('two tickets');
    await server.db.query(
      "UPDATE tickets SET status = 'cancelled', cancelled_at = now() WHERE ticket_id = $1",
      [cancelled.ticketId],
    );
    const [gateA, gateB] = gates;
    const nonce = randomUUID();
    batches.length = 0;
    const { first, rest } = await atOnce(
      () => scan(gateA, opener.tickets[0]?.code ?? '', randomUUID()),
      [
        () => scan(gateA, kept.code, nonce),
        () => scan(gateA, kept.code, nonce),
        () => scan(gateA, cancelled.code, randomUUID()),
        () => scan(gateB, cancelled.code, randomUUID()),
      ],
    );
    expect((await first).status).toBe(201);
    expect(batches.some((batch) => batch.filter((id) => id === kept.ticketId).length === 2)).toBe(
      true,
    );
    const [one, two, cancelledA, cancelledB] = rest;
    expect([one?.status, two?.status].sort()).toEqual([200, 201]);
    expect(one?.body).toEqual(two?.body);
    for (const reply of [cancelledA, cancelledB]) {
      if (reply === undefined) throw new Error('no reply');
      expectProblem(reply, 409, 'TICKET_CANCELLED');
    }
  });
});

// Two replicas' batches of the same tickets at the same moment: whichever writes first admits,
// the other's scans are refused with the winner's time.
describe('check-ins in batches on two replicas', () => {
  let first: TestServer;
  let second: TestServer;
  /** Each replica's batches wait for the other's, so that both are written at once. */
  let arrivals: Array<() => void> = [];
  const together = (db: Db): Db => ({
    query: async (sql, params, options) => {
      if (options?.prepareAs === BATCH_STATEMENT) {
        await new Promise<void>((resolve) => {
          arrivals.push(resolve);
          if (arrivals.length >= 2) {
            for (const go of arrivals) go();
            arrivals = [];
          }
          setTimeout(resolve, BATCH_DELAY_MS);
        });
      }
      return db.query(sql, params, options);
    },
    transaction: (fn) => db.transaction(fn),
    close: () => db.close(),
  });

  beforeAll(async () => {
    first = await startServer('services', { wrapDb: together });
    second = await startServer('services', { wrapDb: together, replicaOf: first });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('admits each ticket at exactly one of the gates on either replica', async () => {
    const eventId = await createEvent(first.url);
    const admin = new Client(first.url, ADMIN_TOKEN);
    const reply = await admin.request<{ token: string }>(
      'POST',
      `/api/admin/events/${eventId}/scanner-tokens`,
    );
    const token = reply.body.token;
    const { order } = await buy(first.url, eventId, SEATS);
    const gates = [first, second].flatMap((server) =>
      Array.from({ length: 5 }, () => new Client(server.url, token)),
    );
    const replies = await Promise.all(
      order.tickets.flatMap((ticket) =>
        gates.map((gate) =>
          gate.request<CheckIn & Problem>('POST', `/api/events/${eventId}/checkins`, {
            body: { code: ticket.code, nonce: randomUUID() },
          }),
        ),
      ),
    );
    order.tickets.forEach((ticket, i) => {
      const answers = replies.slice(i * gates.length, (i + 1) * gates.length);
      const admitted = answers.filter((r) => r.status === 201);
      expect(admitted).toHaveLength(1);
      const at = admitted[0]?.body.checkedInAt;
      for (const refused of answers.filter((r) => r.status !== 201)) {
        expectProblem(refused, 409, 'ALREADY_CHECKED_IN');
        expect(refused.body.checkedInAt).toBe(at);
      }
      expect(admitted[0]?.body.ticketId).toBe(ticket.ticketId);
    });
  });
});

// A batch that waits for another transaction's row lock on a ticket: once that one commits, the
// batch's UPDATE finds the ticket in and leaves it, while its own snapshot (taken before the
// commit) still shows it out; the scan must read the ticket again and answer 409, not fail.
describe('a check-in batch behind a concurrent check-in (services)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer('services');
  });
  afterAll(() => server?.close());

  it('answers 409 with the time the other transaction committed', async () => {
    const eventId = await createEvent(server.url);
    const admin = new Client(server.url, ADMIN_TOKEN);
    const reply = await admin.request<{ token: string }>(
      'POST',
      `/api/admin/events/${eventId}/scanner-tokens`,
    );
    const gate = new Client(server.url, reply.body.token);
    const { order } = await buy(server.url, eventId, ['S00']);
    const ticket = order.tickets[0];
    if (ticket === undefined) throw new Error('one ticket');
    let scanning: Promise<Reply<CheckIn & Problem>> | undefined;
    const otherAt = await server.db.transaction(async (tx) => {
      const rows = await tx.query<{ at: Date | string }>(
        `UPDATE tickets SET checked_in_at = now(), checkin_nonce = 'elsewhere'
          WHERE ticket_id = $1 RETURNING checked_in_at AS at`,
        [ticket.ticketId],
      );
      scanning = gate.request<CheckIn & Problem>('POST', `/api/events/${eventId}/checkins`, {
        body: { code: ticket.code, nonce: randomUUID() },
      });
      // The scan's batch is sent and waits for this transaction's lock on the row.
      await new Promise((resolve) => setTimeout(resolve, 300));
      return new Date(rows[0]?.at ?? '').toISOString();
    });
    const refused = await scanning;
    if (refused === undefined) throw new Error('no scan');
    expectProblem(refused, 409, 'ALREADY_CHECKED_IN');
    expect(refused.body.checkedInAt).toBe(otherAt);
  });
});
