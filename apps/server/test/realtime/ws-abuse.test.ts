// WebSocket clients that abuse the server: sockets that never read and flood it with junk, too
// many connections from one address, bursts of invalid messages, oversized frames. The server
// closes them, stays responsive and keeps its memory and its log in bounds.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';
import { LatencyProbe, RssSampler } from '../support/probe.js';
import { ADMIN_TOKEN } from '../support/server.js';

const FLOOD = fileURLToPath(new URL('../support/junk-flood.ts', import.meta.url));
const MB = 1024 * 1024;

interface FloodResult {
  sockets: { bytesSent: number; closedAfterMs: number | null }[];
}

/** Runs junk-flood.ts in its own process; resolves once every socket is open, then when done. */
function flood(port: number, sockets: number, durationMs: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', FLOOD, String(port), String(sockets), String(durationMs)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let opened!: () => void;
  const open = new Promise<void>((resolve) => (opened = resolve));
  const done = new Promise<FloodResult>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as { event: string } & FloodResult;
      if (message.event === 'open') opened();
      if (message.event === 'done') resolve(message);
      if (message.event === 'failed') reject(new Error(line));
    });
    child.once('exit', (code) => reject(new Error(`junk-flood exited with ${code}`)));
  });
  return { open, done };
}

async function wsClients(url: string): Promise<number> {
  const text = await (
    await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
  ).text();
  return Number(/^ticketmain_ws_clients (\d+)/m.exec(text)?.[1]);
}

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
    await new Promise((resolve) => setTimeout(resolve, 1_000));

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

    expect(closedAfter.every((ms) => ms !== null)).toBe(true);
    expect(await wsClients(replica.url)).toBe(0);
    expect(rss.peak - rss.first).toBeLessThan(150 * MB);
    expect(latency.failed).toBe(0);
    expect(latency.p99).toBeLessThan(200);
  }, 60_000);
});
