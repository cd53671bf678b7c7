// snapshot: GET /api/events/:id/seats and the WebSocket snapshot of the stadium with half of its
// seats sold or held, as two rows. Fills the stadium up to half through the API (8-seat holds by
// fresh sessions, bounded in time), then times sequential requests, and sequential subscribes
// over fresh WebSockets: with one at a time, the latency is the server's time plus a loopback
// transfer. Reports the payload sizes (HTTP as sent, and gzipped; WebSocket frames are sent
// uncompressed, perMessageDeflate is off).
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ApiError } from '@ticketmain/client';
import { clientOf, orRefusal, rethrowAs } from '../api.js';
import { diffView, type Violation } from '../invariants.js';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.js';
import type { Truth } from '../invariants.js';
import { timeWsSnapshots } from '../ws-snapshot.js';
import { createSessions } from '../sessions.js';
import { mapLimit, percentile, round, sortedCopy } from '../util.js';

const TARGET_MS = 20;
const SEATS_PER_HOLD = 8;
const FILL_TIMEOUT_MS = 90_000;
const READ_TIMEOUT_MS = 30_000;

export const snapshot: Scenario = {
  name: 'snapshot',
  summary: 'GET /seats and the WebSocket snapshot of the half-full stadium: time and size',
  async run(ctx) {
    const fill = await fillToHalf(ctx);
    const truth = await ctx.checker.readTruth(ctx.stadium.eventId);
    // Checked through the client (the reply must match the schema, then equal the truth); timed
    // below with node:http, which sees the last byte and the bytes as sent.
    const view = await clientOf(ctx.server, { timeoutMs: READ_TIMEOUT_MS })
      .getSeats(ctx.stadium.eventId)
      .catch(rethrowAs('reading the seats'));
    const violations: Violation[] = diffView(view, truth, 'GET /seats');
    const path = `/api/events/${ctx.stadium.eventId}/seats`;
    const first = await get(ctx.server.url, path);
    const raw = first.encoding === 'gzip' ? gunzipSync(first.body) : first.body;

    const count = ctx.quick ? 10 : 50;
    const deadline = Date.now() + (ctx.quick ? 10_000 : 30_000);
    const times: number[] = [];
    const cpuBefore = ctx.server.cpuMs();
    let errors = first.status === 200 ? 0 : 1;
    for (let i = 0; i < count && Date.now() < deadline; i++) {
      const reply = await get(ctx.server.url, path).catch(() => undefined);
      if (reply?.status === 200) times.push(reply.ms);
      else errors++;
    }
    const cpuMsPerRequest = (ctx.server.cpuMs() - cpuBefore) / Math.max(1, times.length);
    const sorted = sortedCopy(times);
    const p50 = roundOrNull(percentile(sorted, 50));
    const gzipBytes = first.encoding === 'gzip' ? first.body.length : gzipSync(raw).length;
    const httpRow: ScenarioResult = {
      name: 'snapshot',
      throughput: {
        value: round(times.length / (times.reduce((a, b) => a + b, 0) / 1000), 0),
        unit: 'req/s (seq.)',
      },
      p50Ms: p50,
      p99Ms: roundOrNull(percentile(sorted, 99)),
      errors,
      targets: [
        {
          label: `server time ≤ ${TARGET_MS} ms (p50, sequential)`,
          measured:
            p50 === null ? 'no data' : `${round(p50, 1)} ms (CPU ${round(cpuMsPerRequest, 1)} ms)`,
          pass: ctx.quick || p50 === null ? null : p50 <= TARGET_MS,
        },
      ],
      violations,
      details: {
        ...fill,
        requests: times.length,
        serverCpuMsPerRequest: round(cpuMsPerRequest, 2),
        heldInSnapshot: view.held.length,
        soldInSnapshot: view.sold.length,
        contentEncoding: first.encoding ?? 'identity',
        payloadBytes: raw.length,
        gzipBytes,
        gzipBy: first.encoding === 'gzip' ? 'server' : 'bench (the server sent it uncompressed)',
      },
    };
    return [httpRow, await wsSnapshot(ctx, truth)];
  },
};

/** The WebSocket row: sequential subscribes over fresh sockets, the first one apart (cold). */
async function wsSnapshot(ctx: BenchContext, truth: Truth): Promise<ScenarioResult> {
  const count = ctx.quick ? 10 : 50;
  const deadline = Date.now() + (ctx.quick ? 10_000 : 30_000);
  const cpuBefore = ctx.server.cpuMs();
  const r = await timeWsSnapshots(ctx.server.url, ctx.stadium.eventId, count + 1, deadline);
  const cpuMs = ctx.server.cpuMs() - cpuBefore;
  const [cold, ...warm] = r.times;
  const sorted = sortedCopy(warm);
  const p50 = roundOrNull(percentile(sorted, 50));
  const cpuMsPerSnapshot = cpuMs / Math.max(1, r.times.length);
  const violations: Violation[] =
    r.first === undefined
      ? [{ invariant: 'view-differs', detail: 'no WebSocket snapshot to compare with the truth' }]
      : diffView(r.first, truth, 'the WebSocket snapshot');
  return {
    name: 'snapshot-ws',
    throughput: {
      value: round(warm.length / (warm.reduce((a, b) => a + b, 0) / 1000), 0),
      unit: 'snapshots/s (seq.)',
    },
    p50Ms: p50,
    p99Ms: roundOrNull(percentile(sorted, 99)),
    errors: r.failures.length,
    targets: [
      {
        label: `server time ≤ ${TARGET_MS} ms (p50, sequential)`,
        measured:
          p50 === null ? 'no data' : `${round(p50, 1)} ms (CPU ${round(cpuMsPerSnapshot, 1)} ms)`,
        pass: ctx.quick || p50 === null ? null : p50 <= TARGET_MS,
      },
    ],
    violations,
    details: {
      subscribes: r.times.length,
      latencyColumns: 'subscribe sent → whole snapshot message received, first one excluded',
      coldFirstMs: cold === undefined ? null : round(cold, 2),
      openP50Ms: roundOrNull(percentile(sortedCopy(r.openTimes), 50)),
      serverCpuMsPerSnapshot: round(cpuMsPerSnapshot, 2),
      payloadBytes: r.bytes,
      gzipBytesIfCompressed: r.gzipBytes,
      heldInSnapshot: r.first?.held.length ?? 0,
      soldInSnapshot: r.first?.sold.length ?? 0,
      failures: r.failures,
    },
  };
}

/** Holds free seats with fresh sessions until half of the stadium is held or sold. */
async function fillToHalf(ctx: BenchContext): Promise<Record<string, unknown>> {
  const { eventId, seatIds, seatCount } = ctx.stadium;
  const started = performance.now();
  const state = await ctx.checker.readStore(eventId);
  const taken = state.holders.size + state.sold.size;
  const free = seatIds.filter((s) => !state.holders.has(s) && !state.sold.has(s));
  const wanted = Math.max(0, Math.floor(seatCount / 2) - taken);
  const chunks: string[][] = [];
  for (let i = 0; i < wanted; i += SEATS_PER_HOLD) {
    chunks.push(free.slice(i, Math.min(i + SEATS_PER_HOLD, wanted)));
  }
  const deadline = Date.now() + FILL_TIMEOUT_MS;
  const sessions = await createSessions(ctx.server, chunks.length, FILL_TIMEOUT_MS);
  const { results, timedOut } = await mapLimit(chunks, 32, deadline, async (seats, i) => {
    const api = clientOf(ctx.server, { token: sessions[i]?.token });
    const reply = await orRefusal(api.hold(eventId, seats));
    return reply instanceof ApiError ? 0 : seats.length;
  });
  const filled = results.reduce<number>((n, r) => n + (r ?? 0), 0);
  const after = await ctx.checker.readStore(eventId);
  ctx.log(`  filled ${filled} seats in ${round((performance.now() - started) / 1000, 1)} s`);
  return {
    fillSeconds: round((performance.now() - started) / 1000, 1),
    fillTimedOut: timedOut,
    takenBefore: taken,
    heldAfterFill: after.holders.size,
    soldAfterFill: after.sold.size,
    takenShare: round((after.holders.size + after.sold.size) / seatCount, 3),
  };
}

interface Fetched {
  status: number;
  ms: number;
  body: Buffer;
  encoding: string | undefined;
}

/** One GET with node:http, timed to the last byte, body kept as sent (no decompression). */
function get(baseUrl: string, path: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      new URL(path, baseUrl),
      { headers: { 'accept-encoding': 'gzip' }, timeout: READ_TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - started,
            body: Buffer.concat(chunks),
            encoding: res.headers['content-encoding'],
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('snapshot request timed out')));
    req.on('error', reject);
    req.end();
  });
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : round(value, 2);
}
