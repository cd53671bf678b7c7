// Tickets end to end (API.md "Tickets and check-in"): codes that verify offline with the key set
// alone, refusals of forged and foreign codes, exactly one admission per ticket whatever the
// number of gates, nonces that make a scan safe to send again, and scanner tokens per event.
import { randomUUID } from 'node:crypto';
import {
  CompactSign,
  compactVerify,
  createLocalJWKSet,
  generateKeyPair,
  type JSONWebKeySet,
} from 'jose';
import type { CheckIn, Order, Problem } from '@ticketmain/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client.js';
import { ADMIN_TOKEN, MODES, startServer, type TestServer } from '../support/server.js';
import { buy, createEvent, expectProblem } from '../support/tickets.js';

const GATES = 20;

describe.each(MODES)('tickets and check-in (%s)', (mode) => {
  let server: TestServer;
  let admin: Client;
  let eventA: string;
  let eventB: string;
  let scannerA: Client;

  beforeAll(async () => {
    server = await startServer(mode);
    admin = new Client(server.url, ADMIN_TOKEN);
    eventA = await createEvent(server.url);
    eventB = await createEvent(server.url);
    scannerA = new Client(server.url, await scannerToken(eventA));
  });
  afterAll(() => server?.close());

  async function scannerToken(eventId: string): Promise<string> {
    const reply = await admin.request<{ token: string }>(
      'POST',
      `/api/admin/events/${eventId}/scanner-tokens`,
    );
    expect(reply.status).toBe(201);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    return reply.body.token;
  }

  const scan = (gate: Client, eventId: string, code: string, nonce?: string) =>
    gate.request<CheckIn & Problem>('POST', `/api/events/${eventId}/checkins`, {
      body: nonce === undefined ? { code } : { code, nonce },
    });

  it('gives one ticket per seat whose code verifies offline with the JWKS and jose alone', async () => {
    const { order } = await buy(server.url, eventA, ['S01', 'V1']);
    expect(order.tickets.map((t) => [t.seatId, t.sectionId])).toEqual([
      ['S01', 'main'],
      ['V1', 'vip'],
    ]);
    const keys = await fetch(`${server.url}/api/ticket-keys`);
    expect(keys.status).toBe(200);
    const jwks = createLocalJWKSet((await keys.json()) as JSONWebKeySet);
    for (const ticket of order.tickets) {
      const { payload, protectedHeader } = await compactVerify(ticket.code, jwks);
      expect(protectedHeader).toEqual({ alg: 'EdDSA', kid: expect.any(String) });
      const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
      expect(claims).toEqual({
        tid: ticket.ticketId,
        eid: eventA,
        sid: ticket.seatId,
        iat: Math.floor(Date.parse(order.createdAt) / 1000),
      });
    }
  });

  it('refuses a tampered code, a code of another event and junk: 422 INVALID_TICKET', async () => {
    const { order } = await buy(server.url, eventA, ['S02']);
    const code = order.tickets[0]?.code ?? '';
    const [header, payload, signature] = code.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as object;
    const forged = Buffer.from(JSON.stringify({ ...claims, sid: 'S03' })).toString('base64url');
    // A character in the middle: the last one of 86 carries padding bits that decode alike.
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    // The same claims signed by a key that is not the server's, under the server's kid; and
    // unsigned (alg "none").
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
    const stranger = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const foreignKey = await new CompactSign(Buffer.from(payload, 'base64url'))
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .sign(stranger.privateKey);
    const none = Buffer.from(JSON.stringify({ alg: 'none', kid })).toString('base64url');
    for (const bad of [
      `${header}.${forged}.${signature}`,
      `${header}.${payload}.${flipped}`,
      foreignKey,
      `${none}.${payload}.`,
    ]) {
      expectProblem(await scan(scannerA, eventA, bad), 422, 'INVALID_TICKET');
    }
    for (const junk of ['junk', 'a.b.c', `${header}..`, '{}', 'x'.repeat(2_000)]) {
      expectProblem(await scan(scannerA, eventA, junk), 422, 'INVALID_TICKET');
    }
    const { order: other } = await buy(server.url, eventB, ['S02']);
    const adminGate = new Client(server.url, ADMIN_TOKEN);
    expectProblem(
      await scan(adminGate, eventA, other.tickets[0]?.code ?? ''),
      422,
      'INVALID_TICKET',
    );
    // None of it checked anything in.
    expect((await scan(scannerA, eventA, code)).status).toBe(201);
  });

  it('admits a ticket at exactly one of 20 gates scanning it at once', async () => {
    const { order } = await buy(server.url, eventA, ['S04']);
    const code = order.tickets[0]?.code ?? '';
    const gates = await Promise.all(
      Array.from({ length: GATES }, async () => new Client(server.url, await scannerToken(eventA))),
    );
    const nonces = gates.map(() => randomUUID());
    const replies = await Promise.all(gates.map((gate, i) => scan(gate, eventA, code, nonces[i])));
    const admitted = replies.filter((r) => r.status === 201);
    const refused = replies.filter((r) => r.status === 409);
    expect(admitted).toHaveLength(1);
    expect(refused).toHaveLength(GATES - 1);
    const first = admitted[0]?.body as CheckIn;
    expect(first).toEqual({
      ticketId: order.tickets[0]?.ticketId,
      seatId: 'S04',
      sectionId: 'main',
      checkedInAt: expect.any(String),
    });
    for (const reply of refused) {
      expectProblem(reply, 409, 'ALREADY_CHECKED_IN');
      expect(reply.body.checkedInAt).toBe(first.checkedInAt);
    }
    const winner = replies.findIndex((r) => r.status === 201);
    const again = await scan(gates[winner] ?? scannerA, eventA, code, nonces[winner]);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first);
    const loser = (winner + 1) % GATES;
    const retried = await scan(gates[loser] ?? scannerA, eventA, code, nonces[loser]);
    expectProblem(retried, 409, 'ALREADY_CHECKED_IN');
    // The ledger: checked in once, by the winner's scan, at the time every answer gave.
    const rows = await server.db.query<{ at: unknown; nonce: unknown }>(
      'SELECT checked_in_at AS at, checkin_nonce AS nonce FROM tickets WHERE ticket_id = $1',
      [order.tickets[0]?.ticketId],
    );
    expect(rows).toHaveLength(1);
    const at = rows[0]?.at;
    expect(new Date(at instanceof Date ? at : String(at)).toISOString()).toBe(first.checkedInAt);
    expect(rows[0]?.nonce).toBe(nonces[winner]);
  });

  it('keeps scanner tokens to their event; buyers and strangers may not scan', async () => {
    const { client: buyer, order } = await buy(server.url, eventB, ['S05']);
    const code = order.tickets[0]?.code ?? '';
    const refused = await scan(scannerA, eventB, code);
    expectProblem(refused, 403, 'FORBIDDEN');
    expectProblem(await scan(new Client(server.url), eventB, code), 401, 'UNAUTHENTICATED');
    expectProblem(await scan(buyer, eventB, code), 401, 'UNAUTHENTICATED');
    expectProblem(
      await scan(new Client(server.url, 'tms_forged'), eventB, code),
      401,
      'UNAUTHENTICATED',
    );
    const scannerB = new Client(server.url, await scannerToken(eventB));
    const admitted = await scan(scannerB, eventB, code);
    expect(admitted.status).toBe(201);
    expect(admitted.headers.get('cache-control')).toBe('no-store');
    const scannerTokens = new Client(server.url, await scannerToken(eventB));
    const created = await scannerTokens.request(
      'POST',
      `/api/admin/events/${eventB}/scanner-tokens`,
    );
    expectProblem(created, 401, 'UNAUTHENTICATED');
    expectProblem(
      await admin.request('POST', '/api/admin/events/no-such-event/scanner-tokens'),
      404,
      'EVENT_NOT_FOUND',
    );
  });

  it('refuses a cancelled ticket and lists it in the revocations', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const revocations = (at: string) =>
      admin.request<{ ticketIds: string[]; asOf: string }>(
        'GET',
        `/api/admin/events/${eventA}/revocations?since=${encodeURIComponent(at)}`,
      );
    const before = await revocations(since);
    expect(before.status).toBe(200);
    expect(before.body.ticketIds).toEqual([]);
    const { order } = await buy(server.url, eventA, ['S06', 'S07']);
    const [cancelled, kept] = order.tickets as [Order['tickets'][0], Order['tickets'][0]];
    // Cancellation itself lands later; its effect on the ticket row is what check-in reads.
    await server.db.query(
      "UPDATE tickets SET status = 'cancelled', cancelled_at = now() WHERE ticket_id = $1",
      [cancelled.ticketId],
    );
    expectProblem(await scan(scannerA, eventA, cancelled.code), 409, 'TICKET_CANCELLED');
    expect((await scan(scannerA, eventA, kept.code)).status).toBe(201);
    const after = await revocations(since);
    expect(after.body.ticketIds).toEqual([cancelled.ticketId]);
    // asOf lags behind: asking again from it repeats the recent ones (a set, for a scanner).
    expect(Date.parse(after.body.asOf)).toBeLessThan(Date.now());
    expect((await revocations(after.body.asOf)).body.ticketIds).toEqual([cancelled.ticketId]);
    const later = new Date(Date.now() + 60_000).toISOString();
    expect((await revocations(later)).body.ticketIds).toEqual([]);
    expectProblem(
      await admin.request('GET', `/api/admin/events/${eventA}/revocations?since=yesterday`),
      400,
      'INVALID_REQUEST',
    );
  });

  it('signs new orders with a rotated key and keeps the old one listed and valid', async () => {
    const { order: before } = await buy(server.url, eventA, ['S08']);
    const rotated = await admin.request<{ kid: string }>('POST', '/api/admin/ticket-keys');
    expect(rotated.status).toBe(201);
    const { order: after } = await buy(server.url, eventA, ['S09']);
    const kidOf = (order: Order) =>
      JSON.parse(Buffer.from(order.tickets[0]?.code.split('.')[0] ?? '', 'base64url').toString())
        .kid as string;
    expect(kidOf(after)).toBe(rotated.body.kid);
    expect(kidOf(before)).not.toBe(rotated.body.kid);
    const keys = (await (await fetch(`${server.url}/api/ticket-keys`)).json()) as JSONWebKeySet;
    expect(keys.keys.map((key) => key.kid)).toEqual([kidOf(before), kidOf(after)]);
    for (const order of [before, after]) {
      expect((await scan(scannerA, eventA, order.tickets[0]?.code ?? '')).status).toBe(201);
    }
  });
});
