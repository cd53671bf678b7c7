// A replica killed in the middle of a delivery loses nothing: the receiver holds the request
// open, the test SIGKILLs the server, and another replica delivers the same message (same
// webhook-id) once the dead one's lease (time-out + 5 s) has run out, not before.
import type { WebhookCreated } from '@ticketmain/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client.js';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';
import { Receiver } from '../support/receiver.js';
import { ADMIN_TOKEN } from '../support/server.js';
import { buy, createEvent } from '../support/tickets.js';
import { until } from '../support/wait.js';

const TIMEOUT_MS = 3_000;
const LEASE_MS = TIMEOUT_MS + 5_000;

describe('a replica killed mid-delivery', () => {
  const backends = new SharedBackends();
  const replicas: Replica[] = [];
  let receiver: Receiver;

  beforeAll(async () => {
    await backends.create();
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.stop('SIGKILL');
    await receiver?.close();
    await backends.drop();
  });

  const env = backends.env({
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
    WEBHOOK_POLL_MS: '50',
    WEBHOOK_RETRY_SCALE: '0.01',
    SEED_DEMO: 'false',
  });

  it('is delivered by another replica after the lease', { timeout: 120_000 }, async () => {
    const first = await startReplica(env);
    replicas.push(first);
    const admin = new Client(first.url, ADMIN_TOKEN);
    const created = await admin.request<WebhookCreated>('POST', '/api/admin/webhooks', {
      body: { url: receiver.url, events: ['order.confirmed'] },
    });
    expect(created.status).toBe(201);
    let calls = 0;
    receiver.answer = () => (++calls === 1 ? 'hold' : 200);
    const eventId = await createEvent(first.url);
    const { order } = await buy(first.url, eventId, ['S01']);

    const held = await until('the first replica is mid-delivery', () => receiver.received[0]);
    expect(held.status).toBe('hold');
    await first.stop('SIGKILL');
    const second = await startReplica(env);
    replicas.push(second);

    const [delivered] = await until('delivered by the second replica', () => {
      const got = receiver.delivered(created.body.secret);
      return got.length > 0 && got;
    });
    expect(delivered?.data.orderId).toBe(order.orderId);
    expect(delivered?.id).toBe(held.headers['webhook-id']);
    const redelivery = receiver.received.find((r) => r.status === 200);
    // Not before the lease of the killed replica ran out (a little slack for the clocks).
    expect((redelivery?.at ?? 0) - held.at).toBeGreaterThanOrEqual(LEASE_MS - 500);
    // The killed attempt left no answer to log; the second one's is logged once written.
    const reader = new Client(second.url, ADMIN_TOKEN);
    const log = await until('the attempt logged', async () => {
      const reply = await reader.request<Array<{ status: number }>>(
        'GET',
        `/api/admin/webhooks/${created.body.id}/deliveries`,
      );
      return reply.body.length > 0 && reply.body;
    });
    expect(log.map((a) => a.status)).toEqual([200]);
  });
});
