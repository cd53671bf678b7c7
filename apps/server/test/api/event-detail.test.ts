// A large public read (API.md "Limits against abuse"): a 100,000-seat event's detail is served
// from one prepared, compressed copy per replica, with an ETag, and does not stall other requests.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stadium } from '../../src/domain/venue/stadium.js';
import { Client } from '../support/client.js';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';
import { ADMIN_TOKEN, MODES } from '../support/server.js';

const EVENT = 'detail-stadium';

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const PROBE = fileURLToPath(new URL('../support/health-probe.mjs', import.meta.url));

/** A GET whose body is only counted: the load side must stay cheap for the test process. */
function count(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A GET whose body is kept as bytes (fetch would decode it). */
function get(url: string, headers: Record<string, string>): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decode(reply: RawReply): string {
  const encoding = reply.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(reply.body).toString();
  if (encoding === 'gzip') return gunzipSync(reply.body).toString();
  expect(encoding).toBeUndefined();
  return reply.body.toString();
}

async function builds(server: Replica): Promise<number> {
  const text = await (
    await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
  ).text();
  return Number(/^ticketmain_event_detail_builds_total (\d+)/m.exec(text)?.[1] ?? NaN);
}

// The server runs in its own process: the test's own reading of 50 MB of replies must not be
// what delays /health.
describe.each(MODES)('a 100,000-seat event detail (%s)', (mode) => {
  const backends = new SharedBackends();
  const dataDir = mkdtempSync(join(tmpdir(), 'ticketmain-detail-'));
  let server: Replica;
  beforeAll(async () => {
    if (mode === 'services') await backends.create();
    server = await startReplica(
      mode === 'services'
        ? backends.env()
        : {
            DATA_DIR: dataDir,
            SESSION_SECRET: randomBytes(32).toString('hex'),
            ADMIN_TOKEN,
            LOG_LEVEL: 'warn',
            HOST: '127.0.0.1',
          },
    );
    const created = await new Client(server.url, ADMIN_TOKEN).request('POST', '/api/admin/events', {
      body: {
        id: EVENT,
        name: 'Detail stadium',
        venue: stadium({ seats: 100_000 }),
        startsAt: '2031-01-01T20:00:00.000Z',
        currency: 'USD',
      },
    });
    expect(created.status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await server.stop();
    if (mode === 'services') await backends.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves bursts of 20 concurrent GETs from one build while /health stays fast', async () => {
    // Each event's copy is built as the catalog loads it, before any crowd asks; the queue demo's
    // once more when its waiting room is armed at start-up (a new version of the event).
    const events = await new Client(server.url).request<{ id: string }[]>('GET', '/api/events');
    const armed = events.body.filter((event) => event.id === 'arena-queue').length;
    const before = await builds(server);
    expect(before).toBe(events.body.length + armed);
    const url = `${server.url}/api/events/${EVENT}`;
    const probe = spawn(process.execPath, [PROBE, `${server.url}/health`], { stdio: 'pipe' });
    let probed = '';
    probe.stdout.on('data', (chunk: Buffer) => (probed += chunk.toString()));
    const probeDone = new Promise((resolve) => probe.once('exit', resolve));
    await sleep(200);
    const encodings = ['br, gzip', 'gzip', 'identity', 'gzip, deflate, br, zstd'];
    const burst = () =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) => count(url, { 'accept-encoding': encodings[i % 4]! })),
      );
    // Five bursts of 20, one after the other, so that /health is probed a few hundred times.
    const counted = [];
    for (let round = 0; round < 5; round++) counted.push(...(await burst()));
    probe.stdin.end();
    await probeDone;
    const health = JSON.parse(probed) as number[];
    expect(health.filter((ms) => ms < 0)).toEqual([]);
    expect(counted.map((r) => r.status)).toEqual(Array<number>(100).fill(200));
    // Every burst got the same bytes per encoding.
    for (const [i, reply] of counted.entries()) expect(reply.bytes).toBe(counted[i % 4]!.bytes);

    // The content, once per encoding: one body, one ETag.
    const replies = await Promise.all(encodings.map((e) => get(url, { 'accept-encoding': e })));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const etags = new Set(replies.map((r) => r.headers.etag));
    expect(etags.size).toBe(1);
    const bodies = new Set(replies.map(decode));
    expect(bodies.size).toBe(1);
    const detail = JSON.parse([...bodies][0]!) as { seatCount: number; seats: unknown[] };
    expect(detail.seatCount).toBe(100_000);
    expect(detail.seats).toHaveLength(100_000);
    expect(replies[0]!.headers['content-encoding']).toBe('br');
    expect(replies[1]!.headers['content-encoding']).toBe('gzip');
    expect(replies[0]!.headers['cache-control']).toBe('public, max-age=60');
    expect(replies[0]!.headers.vary).toContain('accept-encoding');
    expect(await builds(server)).toBe(before);

    health.sort((a, b) => a - b);
    const p99 = health[Math.min(health.length - 1, Math.floor(health.length * 0.99))]!;
    console.info(
      `event detail (${mode}): 5 × 20 GETs, ${health.length} /health probes from another process, ` +
        `p99 ${p99.toFixed(1)} ms, max ${health.at(-1)!.toFixed(1)} ms; ` +
        `identity ${replies[2]!.body.length} B, gzip ${replies[1]!.body.length} B, ` +
        `br ${replies[0]!.body.length} B`,
    );
    expect(p99).toBeLessThan(200);

    const etag = String(replies[0]!.headers.etag);
    const again = await get(url, { 'if-none-match': etag, 'accept-encoding': 'gzip' });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    const stale = await get(url, { 'if-none-match': '"other"' });
    expect(stale.status).toBe(200);
    expect(await builds(server)).toBe(before);
  }, 60_000);

  it('answers an unknown event with a problem, not a prepared body', async () => {
    const reply = await new Client(server.url).request('GET', '/api/events/nope');
    expect(reply.status).toBe(404);
    expect(reply.contentType).toContain('application/problem+json');
  });
});
