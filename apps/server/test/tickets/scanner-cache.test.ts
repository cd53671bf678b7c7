// Scanner tokens are remembered per replica (TicketService.scannerEvent), so a gate does not ask
// PostgreSQL on every scan. A token whose row is deleted is refused once the remembered answer
// is older than the cache's lifetime; a token never found is asked again every time.
import type { CheckInSummary } from '@ticketmain/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketKeyring } from '../../src/tickets/keyring.js';
import { TicketService } from '../../src/tickets/service.js';
import { Client } from '../support/client.js';
import { ADMIN_TOKEN, MODES, startServer, type TestServer } from '../support/server.js';
import { createEvent, expectProblem } from '../support/tickets.js';

const LIFETIME_MS = 60_000;

describe.each(MODES)('scanner token cache (%s)', (mode) => {
  let server: TestServer;
  let admin: Client;
  let eventId: string;

  beforeAll(async () => {
    server = await startServer(mode);
    admin = new Client(server.url, ADMIN_TOKEN);
    eventId = await createEvent(server.url);
  });
  afterAll(() => server?.close());

  async function scannerToken(): Promise<string> {
    const reply = await admin.request<{ token: string }>(
      'POST',
      `/api/admin/events/${eventId}/scanner-tokens`,
    );
    expect(reply.status).toBe(201);
    return reply.body.token;
  }

  const deleteTokens = () =>
    server.db.query('DELETE FROM scanner_tokens WHERE event_id = $1', [eventId]);

  it('keeps accepting a deleted token until its lifetime ends, then refuses it', async () => {
    let now = 1_000_000;
    const tickets = new TicketService(
      server.app.ledger,
      new TicketKeyring(server.app.ledger, 'unused: no code is signed or read here'),
      { scannerCacheMs: LIFETIME_MS, now: () => now },
    );
    const token = await scannerToken();
    expect(await tickets.scannerEvent(token)).toBe(eventId);
    await deleteTokens();
    now += LIFETIME_MS - 1;
    expect(await tickets.scannerEvent(token)).toBe(eventId);
    now += 1;
    expect(await tickets.scannerEvent(token)).toBeNull();
    now += LIFETIME_MS;
    expect(await tickets.scannerEvent(token)).toBeNull();
  });

  it('asks the ledger again, within the lifetime, for a token it did not find', async () => {
    const tickets = new TicketService(
      server.app.ledger,
      new TicketKeyring(server.app.ledger, 'unused: no code is signed or read here'),
    );
    const token = await scannerToken();
    const hash = (
      await server.db.query<{ token_hash: string }>(
        'SELECT token_hash FROM scanner_tokens WHERE event_id = $1',
        [eventId],
      )
    )[0]?.token_hash;
    await deleteTokens();
    expect(await tickets.scannerEvent(token)).toBeNull();
    await server.db.query('INSERT INTO scanner_tokens (token_hash, event_id) VALUES ($1, $2)', [
      hash,
      eventId,
    ]);
    expect(await tickets.scannerEvent(token)).toBe(eventId);
    await deleteTokens();
  });

  it("serves a gate from the server's cache: a deleted token still works within the lifetime", async () => {
    const gate = new Client(server.url, await scannerToken());
    const summary = () =>
      gate.request<CheckInSummary>('GET', `/api/events/${eventId}/checkins/summary`);
    expect((await summary()).status).toBe(200);
    await deleteTokens();
    // The server's lifetime is a minute: remembered, not asked again.
    expect((await summary()).status).toBe(200);
    // A token the server never saw is looked up, and refused at once.
    const unseen = new Client(server.url, await scannerToken());
    await deleteTokens();
    expectProblem(
      await unseen.request('GET', `/api/events/${eventId}/checkins/summary`),
      401,
      'UNAUTHENTICATED',
    );
  });
});
