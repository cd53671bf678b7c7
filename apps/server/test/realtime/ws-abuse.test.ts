// WebSocket clients that abuse the server: sockets that never read and flood it with junk, too
// many connections from one address, bursts of invalid messages, oversized frames. The server
// closes them, stays responsive and keeps its memory and its log in bounds.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PROBLEM_CONTENT_TYPE } from '@ticketmain/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';
import { LatencyProbe, RssSampler } from '../support/probe.js';
import { ADMIN_TOKEN, startServer, type TestServer } from '../support/server.js';
import { Watcher } from '../support/watcher.js';

const FLOOD = fileURLToPath(new URL('../support/junk-flood.ts', import.meta.url));
const MB = 1024 * 1024;
const EVENT = 'arena-demo';

interface FloodResult {
  sockets: { bytesSent: number; closedAfterMs: number | null }[];
}

/**
 * Runs junk-flood.ts in its own process: `open` resolves once every socket is open, `done` after
 * `durationMs` (or once all are closed, with `untilClosed`).
 */
function flood(port: number, sockets: number, durationMs: number, untilClosed = false) {
  const args = [FLOOD, String(port), String(sockets), String(durationMs)];
  if (untilClosed) args.push('until-closed');
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<never>((_resolve, reject) =>
    child.once('close', (code) => reject(new Error(`junk-flood exited with ${code}`))),
  );
  exited.catch(() => {}); // a rejection once done is no failure
  const lines = createInterface({ input: child.stdout });
  const next = (event: string) =>
    Promise.race([
      exited,
      new Promise<FloodResult>((resolve, reject) =>
        lines.on('line', (line) => {
          const message = JSON.parse(line) as { event: string } & FloodResult;
          if (message.event === event) resolve(message);
          if (message.event === 'failed') reject(new Error(line));
        }),
      ),
    ]);
  return { open: next('open'), done: next('done') };
}

/** A sample of the server's /metrics: `ticketmain_ws_clients` or a client-fault count. */
async function metric(url: string, name: 'ws_clients' | `fault:${string}`): Promise<number> {
  const text = await (
    await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
  ).text();
  const series = name.startsWith('fault:')
    ? `ticketmain_ws_client_faults_total{reason="${name.slice(6)}"}`
    : `ticketmain_${name}`;
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return Number(line?.slice(series.length + 1) ?? 0);
}

type Attempt =
  { socket: WebSocket } | { status: number; contentType: string | undefined; body: string };

/** Opens a WebSocket, or tells how its upgrade was refused. */
function connect(url: string, headers: Record<string, string> = {}): Promise<Attempt> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, { headers });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.once('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'],
          body,
        }),
      );
    });
    socket.once('error', reject);
  });
}

async function opened(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  const attempt = await connect(url, headers);
  if (!('socket' in attempt)) throw new Error(`refused: ${attempt.status} ${attempt.body}`);
  return attempt.socket;
}

function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sockets that never read and send junk (services, own process)', () => {
  const backends = new SharedBackends();
  let replica: Replica;
  beforeAll(async () => {
    await backends.create();
    // The default configuration, as the attack met it.
    replica = await startReplica(backends.env({ RATE_LIMITS: 'on' }));
  });
  afterAll(async () => {
    await replica?.stop();
    await backends.drop();
  });

  it('closes them, keeps its memory and answers /health meanwhile', async () => {
    const pid = replica.process.pid!;
    // Settle after start-up (migrations, seeding) before the baseline is taken.
    for (let i = 0; i < 20; i++) await fetch(`${replica.url}/health`);
    await sleep(1_000);

    const attack = flood(replica.port, 5, 8_000);
    await attack.open;
    const rss = new RssSampler(pid);
    const health = new LatencyProbe(`${replica.url}/health`);
    const result = await attack.done;
    const latency = await health.stop();
    rss.stop();
    const closedAfter = result.sockets.map((s) => s.closedAfterMs);
    const closed = closedAfter.map((ms) => (ms === null ? 'never' : `${ms} ms`));
    console.info(
      `junk flood: RSS ${(rss.first / MB).toFixed(0)} MB before, ${(rss.last / MB).toFixed(0)} ` +
        `MB after, ${(rss.peak / MB).toFixed(0)} MB peak; /health p50 ${latency.p50.toFixed(1)} ms, ` +
        `p99 ${latency.p99.toFixed(1)} ms, max ${latency.max.toFixed(1)} ms over ${latency.count} ` +
        `probes (${latency.failed} failed); sockets closed after ${closed.join(', ')}; ` +
        `${result.sockets.map((s) => (s.bytesSent / MB).toFixed(1)).join(', ')} MB sent`,
    );

    // Closed by the server, each for its junk, while the flood was still on.
    expect(closedAfter.every((ms) => ms !== null)).toBe(true);
    expect(await metric(replica.url, 'fault:invalid_messages')).toBe(5);
    expect(await metric(replica.url, 'ws_clients')).toBe(0);
    expect(rss.peak - rss.first).toBeLessThan(150 * MB);
    expect(latency.failed).toBe(0);
    expect(latency.p99).toBeLessThan(200);
  }, 60_000);
});

describe('limits of one client (services)', () => {
  let server: TestServer;
  beforeAll(async () => {
    // X-Forwarded-For from the test (127.0.0.1) stands for clients of other addresses.
    server = await startServer('services', {
      env: { RATE_LIMITS: 'on', TRUST_PROXY: '127.0.0.1' },
    });
  });
  afterAll(() => server.close());

  it('refuses the 21st WebSocket of one address with 429, and takes it once one closes', async () => {
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const first = await Promise.all(
      Array.from({ length: 20 }, () => opened(server.url, from('203.0.113.7'))),
    );
    const refused = await connect(server.url, from('203.0.113.7'));
    expect(refused).toMatchObject({
      status: 429,
      contentType: expect.stringContaining(PROBLEM_CONTENT_TYPE),
    });
    expect(JSON.parse((refused as { body: string }).body)).toMatchObject({ code: 'RATE_LIMITED' });

    // Other addresses have slots of their own; an IPv6 client's is its /64's.
    const other = await opened(server.url, from('203.0.113.8'));
    const ipv6 = await Promise.all(
      Array.from({ length: 20 }, (_, i) => opened(server.url, from(`2001:db8:5:6::${i + 1}`))),
    );
    expect(await connect(server.url, from('2001:db8:5:6:ffff::1'))).toMatchObject({ status: 429 });
    expect(await metric(server.url, 'fault:address_cap')).toBe(2);

    const closed = closeOf(first[0]!);
    first[0]!.close();
    await closed;
    let again = await connect(server.url, from('203.0.113.7'));
    // The slot comes back when the server sees the TCP socket close, a moment after the client.
    for (let i = 0; i < 50 && !('socket' in again); i++) {
      await sleep(20);
      again = await connect(server.url, from('203.0.113.7'));
    }
    expect('socket' in again).toBe(true);
    for (const socket of [...first, other, ...ipv6]) socket.terminate();
    if ('socket' in again) again.socket.terminate();
  });

  it('closes a client past WS_MAX_INVALID_PER_SECOND invalid messages with 1008', async () => {
    const watcher = await Watcher.open(server.url);
    const closed = closeOf(watcher.socket);
    for (let i = 0; i < 6; i++) watcher.send('x');
    expect(await closed).toEqual({ code: 1008, reason: 'Too many invalid messages' });
    expect(watcher.errors).toHaveLength(5);
    expect(watcher.errors.every((e) => e.code === 'INVALID_REQUEST')).toBe(true);
  });

  it('keeps a client that sends many valid messages and a few invalid ones', async () => {
    const watcher = await Watcher.open(server.url);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 15; i++) {
        watcher.send({ type: 'subscribe', eventId: EVENT });
        watcher.send({ type: 'resync', eventId: EVENT });
        watcher.send({ type: 'unsubscribe', eventId: EVENT });
      }
      for (let i = 0; i < 4; i++) watcher.send('not json');
      await watcher.until(
        () => watcher.snapshots === (round + 1) * 30 && watcher.errors.length === (round + 1) * 4,
      );
      await sleep(1_000);
    }
    watcher.send({ type: 'subscribe', eventId: EVENT });
    await watcher.until(() => watcher.snapshots === 91);
    expect(watcher.socket.readyState).toBe(WebSocket.OPEN);
    watcher.close();
  });
});

describe('a client that does not read its error replies (services)', () => {
  const HIGH_WATER = 16_384;
  let server: TestServer;
  beforeAll(async () => {
    // Invalid messages alone would not close it here: only the buffer of its replies can.
    server = await startServer('services', {
      env: { WS_HIGH_WATER_BYTES: String(HIGH_WATER), WS_MAX_INVALID_PER_SECOND: '1000000' },
    });
  });
  afterAll(() => server.close());

  it('is closed once its unsent replies pass WS_HIGH_WATER_BYTES, not buffered', async () => {
    let maxBuffered = 0;
    const sampler = setInterval(() => {
      for (const client of server.app.websocketServer.clients) {
        maxBuffered = Math.max(maxBuffered, client.bufferedAmount);
      }
    }, 5);
    const port = Number(new URL(server.url).port);
    const result = await flood(port, 1, 20_000, true).done;
    clearInterval(sampler);
    expect(result.sockets[0]!.closedAfterMs).not.toBeNull();
    expect(await metric(server.url, 'fault:not_reading')).toBe(1);
    // The server's close event follows once ws has gone through the frames it had read.
    const clients = server.app.websocketServer.clients;
    for (let i = 0; i < 100 && clients.size > 0; i++) await sleep(20);
    expect(clients.size).toBe(0);
    expect(maxBuffered).toBeLessThanOrEqual(HIGH_WATER);
  });
});

describe('the log of client faults (services, own process)', () => {
  const backends = new SharedBackends();
  let replica: Replica;
  beforeAll(async () => {
    await backends.create();
    replica = await startReplica(backends.env({ RATE_LIMITS: 'on', LOG_LEVEL: 'info' }));
  });
  afterAll(async () => {
    await replica?.stop();
    await backends.drop();
  });

  it('logs many oversized frames in a few warn lines, with counts and no stack', async () => {
    const FRAMES = 60;
    for (let i = 0; i < FRAMES; i += 10) {
      const sockets = await Promise.all(Array.from({ length: 10 }, () => opened(replica.url)));
      const codes = sockets.map((socket) => closeOf(socket).then((c) => c.code));
      for (const socket of sockets) socket.send('x'.repeat(5_000)); // over WS_MAX_MESSAGE_BYTES
      expect(await Promise.all(codes)).toEqual(Array(10).fill(1009));
    }
    await sleep(1_500); // the count of the lines left out comes at the end of their second

    const lines = replica
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map(
        (line) =>
          JSON.parse(line) as { level: number; msg: string; reason?: string; suppressed?: number },
      );
    const faults = lines.filter((line) => line.reason === 'message_too_large');
    console.info(
      `${FRAMES} oversized frames: ${faults.length} log lines about them, ${lines.length} in all`,
    );
    expect(faults.length).toBeGreaterThan(0);
    expect(faults.length).toBeLessThanOrEqual(4);
    expect(faults.every((line) => line.level === 40)).toBe(true);
    // Every frame is accounted for: one line written, the others counted.
    const told = faults.reduce((sum, line) => sum + (line.suppressed ?? 1), 0);
    expect(told).toBe(FRAMES);
    expect(replica.output()).not.toMatch(/"stack"|\n\s+at /);
    expect(lines.filter((line) => line.level >= 40)).toEqual(faults);
  });
});
