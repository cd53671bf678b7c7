// Buying tickets for the ticket tests: a new session holds and orders seats, and the order is
// returned as the API gave it.
import { randomUUID } from 'node:crypto';
import type { Buyer, Order } from '@ticketmain/protocol';
import { expect } from 'vitest';
import { Client, type Reply } from './client.js';
import { venue } from '../ledger/fixtures.js';
import { ADMIN_TOKEN } from './server.js';

export function expectProblem(reply: Reply, status: number, code: string): void {
  expect(reply.status).toBe(status);
  expect(reply.contentType).toContain('application/problem+json');
  expect(reply.body).toMatchObject({ status, code });
}

/** A new session buys `seatIds` of the event: its client and the 201 order. */
export async function buy(
  url: string,
  eventId: string,
  seatIds: string[],
  buyer?: Buyer,
): Promise<{ client: Client; order: Order; key: string }> {
  const client = await Client.session(url);
  expect((await client.hold(eventId, seatIds)).status).toBe(201);
  const key = randomUUID();
  const reply = await client.request<Order>('POST', `/api/events/${eventId}/orders`, {
    body: buyer === undefined ? { seatIds } : { seatIds, buyer },
    headers: { 'idempotency-key': key },
  });
  expect(reply.status).toBe(201);
  return { client, order: reply.body, key };
}

/** A small event (the ledger fixtures' venue: seats S00–S09 and V1, V2) under a fresh id. */
export async function createEvent(url: string): Promise<string> {
  const id = `ev-${randomUUID().slice(0, 8)}`;
  const admin = new Client(url, ADMIN_TOKEN);
  const reply = await admin.request('POST', '/api/admin/events', {
    body: { id, name: 'Ticket test', venue, startsAt: '2031-01-01T20:00:00.000Z', currency: 'EUR' },
  });
  expect(reply.status).toBe(201);
  return id;
}
