// The draw verifier (`npm run verify-draw`): the client's WebCrypto recompute agrees with the
// server's domain/draw.ts; the script says MATCH (exit 0) for a real server's draw, and MISMATCH
// (exit 1) for an audit tampered with on the way (served by a tiny local HTTP server).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketmainClient, drawNumbers, seedCommitmentOf } from '@ticketmain/client';
import type { QueueAudit } from '@ticketmain/protocol';
import { draw, seedCommitment } from '../../src/domain/draw.js';
import { ADMIN_TOKEN, startServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { oneSeatVenue } from '../support/venues.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../../scripts/verify-draw.ts', import.meta.url));
const EVENT = 'verified-draw';

interface Run {
  code: number;
  stdout: string;
}

/** The verifier as a user runs it, in its own process. */
function verify(baseUrl: string, eventId: string): Promise<Run> {
  const args = ['--conditions=ticketmain-source', '--import', 'tsx', SCRIPT, baseUrl, eventId];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT }, (error, stdout) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout });
    });
  });
}

const venue = oneSeatVenue('Draw Hall');

describe('draw recompute in the client', () => {
  it('agrees with domain/draw.ts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.uniqueArray(fc.string({ maxLength: 40 }), { maxLength: 30 }),
        async (seedBytes, ticketIds) => {
          const seed = Buffer.from(seedBytes);
          const hex = seed.toString('hex');
          expect(await drawNumbers(hex, ticketIds)).toEqual(draw(seed, ticketIds));
          expect(await seedCommitmentOf(hex)).toBe(seedCommitment(seed));
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('npm run verify-draw', () => {
  let server: TestServer;
  let tamperer: Server;
  let tampererUrl = '';
  let tamper: (audit: QueueAudit) => QueueAudit = (audit) => audit;

  beforeAll(async () => {
    server = await startServer('embedded', { env: { QUEUE_TICK_INTERVAL_MS: '20' } });
    // Passes everything through from the real server, and changes the audit on the way.
    tamperer = createServer((request, response) => {
      void (async () => {
        const upstream = await fetch(`${server.url}${request.url ?? '/'}`);
        let body: unknown = await upstream.json();
        if (request.url?.endsWith('/queue/audit') === true) body = tamper(body as QueueAudit);
        response.writeHead(upstream.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      })();
    });
    await new Promise<void>((resolve) => tamperer.listen(0, '127.0.0.1', resolve));
    const address = tamperer.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    tampererUrl = `http://127.0.0.1:${address.port}`;

    const admin = new TicketmainClient({ baseUrl: server.url, adminToken: ADMIN_TOKEN });
    await admin.createEvent({
      id: EVENT,
      name: 'Draw Night',
      venue,
      startsAt: '2031-01-01T20:00:00.000Z',
      currency: 'EUR',
    });
    const settings = { opensAt: new Date(Date.now() - 1_000).toISOString(), admitPerMinute: 60 };
    const far = new Date(Date.now() + 600_000).toISOString();
    await admin.configureQueue(EVENT, { ...settings, salesStartAt: far });
    for (let i = 0; i < 20; i++) await (await admin.newBuyer()).joinQueue(EVENT);
    const soon = new Date(Date.now() + 100).toISOString();
    await admin.configureQueue(EVENT, { ...settings, salesStartAt: soon });
    await until('the draw', () => admin.queueAudit(EVENT));
  });
  afterAll(async () => {
    await new Promise((resolve) => tamperer?.close(resolve));
    await server?.close();
  });

  it('says MATCH and exits 0 for the real draw', async () => {
    const run = await verify(server.url, EVENT);
    expect(run.stdout).toContain('pre-queue: 20 tickets');
    expect(run.stdout).toMatch(/MATCH\n$/);
    expect(run.stdout).not.toContain('MISMATCH');
    expect(run.code).toBe(0);
  });

  it('says MISMATCH and exits 1 for a tampered audit', async () => {
    // Two numbers swapped: the seed and its commitment still hold.
    tamper = (audit) => {
      const prequeue = audit.prequeue.map((e) => ({ ...e }));
      [prequeue[0]!.number, prequeue[1]!.number] = [prequeue[1]!.number, prequeue[0]!.number];
      return { ...audit, prequeue };
    };
    const swapped = await verify(tampererUrl, EVENT);
    expect(swapped.stdout).toContain("numbers are the seed's (1…n): NO");
    expect(swapped.stdout).toContain('MISMATCH');
    expect(swapped.code).toBe(1);

    // Another seed: the numbers are its own, but it is not the one committed to.
    tamper = (audit) => {
      const seed = randomBytes(32);
      const prequeue = draw(
        seed,
        audit.prequeue.map((e) => e.ticketId),
      );
      return { ...audit, seed: seed.toString('hex'), prequeue };
    };
    const reseeded = await verify(tampererUrl, EVENT);
    expect(reseeded.stdout).toContain('SHA-256(seed) is the commitment: NO');
    expect(reseeded.code).toBe(1);
  });
});
