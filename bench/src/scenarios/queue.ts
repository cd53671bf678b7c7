// queue: the waiting room under a launch's crowd. 20,000 sessions (--quick: 4,000) join one
// event's waiting room as fast as 100 keep-alive connections go (the pre-queue), then 10,000
// WebSocket watchers (--quick: 1,000) ask for its `queue` frame while the sale starts and admits
// 6,000 a minute for the run's duration, then pauses; every frame is timed at every watcher.
//
// Lag: the server does not say when its tick moved servedThrough, so the bench watches it through
// the API too: one poller asks GET /api/events/:id/queue back to back and notes, for each value,
// the last poll that still saw less (its send time) and the first that saw as much (its
// response time). The change happened between the two. A frame's lag is its receipt minus the
// earlier of them (judged: an upper bound), and minus the later one (a lower bound, in the JSON).
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { ApiError } from '@ticketmain/client';
import { clientOf, orRefusal } from '../api.js';
import { wsUrl } from '../arena.js';
import type { Violation } from '../invariants.js';
import { measure, p99Target, runDetails, statusClasses, type Scenario } from '../scenario.js';
import { mapLimit, percentile, round, sortedCopy } from '../util.js';
import { enoughSessions, queuedArena, startSalesIn } from './queue-shared.js';

const EVENT_ID = 'bench-queue';
const isRefusal = (x: unknown): x is ApiError => x instanceof ApiError;
const JOINERS = 20_000;
const QUICK_JOINERS = 4_000;
const WATCHERS = 10_000;
const QUICK_WATCHERS = 1_000;
const ADMIT_PER_MINUTE = 6_000;
const CONNECT_CONCURRENCY = 100;
const LAG_LIMIT_MS = 500;

interface Watcher {
  socket: WebSocket;
  /** [servedThrough, receipt (performance.now())] of every queue frame. */
  frames: Array<[number, number]>;
}

export const queue: Scenario = {
  name: 'queue',
  summary: '20,000 joins of one waiting room, then 10,000 WebSocket watchers of its admission',
  async run(ctx) {
    const load = loadavg()[0] ?? 0;
    const joiners = ctx.quick ? QUICK_JOINERS : JOINERS;
    const watchers = ctx.quick ? QUICK_WATCHERS : WATCHERS;
    const sessions = await enoughSessions(ctx, joiners + 1);
    const { opensAt } = await queuedArena(ctx.server, EVENT_ID, ADMIT_PER_MINUTE);
    ctx.log(`queue: ${joiners} joins`);

    // Phase 1: the joins, one per session.
    let next = 0;
    const refused: Record<string, number> = {};
    const joined = await measure(ctx, {
      url: ctx.server.url,
      connections: ctx.connections,
      durationS: 120,
      maxRequests: joiners,
      next: () => {
        if (next >= joiners) return null;
        const s = sessions[next++]!;
        return {
          op: { i: next - 1 },
          method: 'POST',
          path: `/api/events/${EVENT_ID}/queue`,
          token: s.token,
        };
      },
      done: (_op, status) => {
        if (status !== 201) refused[status] = (refused[status] ?? 0) + 1;
      },
      kind: () => 'join',
    });
    const classes = statusClasses(joined.load, [201], []);
    // The requests in flight when the plan ran out are cut from the load: those sessions join
    // again (the same entry if the first one landed).
    let rejoined = 0;
    for (const { i } of joined.load.unanswered) {
      const again = await orRefusal(
        clientOf(ctx.server, { token: sessions[i]!.token }).joinQueue(EVENT_ID),
      );
      if (!(again instanceof ApiError)) rejoined++;
    }
    const ceilingRps = ctx.results.get('ceiling')?.throughput.value;
    const ratio = ceilingRps ? joined.rps / ceilingRps : null;

    // Phase 2: the watchers, then the sale starts under them.
    ctx.log(`queue: ${watchers} watchers`);
    const open: Watcher[] = [];
    let connectFailures = 0;
    await mapLimit(
      Array.from({ length: watchers }),
      CONNECT_CONCURRENCY,
      Date.now() + 120_000,
      () =>
        new Promise<void>((resolve) => {
          const socket = new WebSocket(wsUrl(ctx.server.url));
          const w: Watcher = { socket, frames: [] };
          socket.on('message', (data: Buffer) => {
            const at = performance.now();
            const frame = JSON.parse(data.toString()) as { type: string; servedThrough?: number };
            if (frame.type === 'queue' && typeof frame.servedThrough === 'number') {
              w.frames.push([frame.servedThrough, at]);
            }
          });
          socket.once('open', () => {
            socket.send(JSON.stringify({ type: 'queue', eventId: EVENT_ID }));
            open.push(w);
            resolve();
          });
          socket.once('error', () => {
            connectFailures++;
            resolve();
          });
        }),
    );
    // Every watcher has its first frame before the sale starts.
    const firstDeadline = Date.now() + 60_000;
    while (open.some((w) => w.frames.length === 0) && Date.now() < firstDeadline) {
      await new Promise((r) => setTimeout(r, 100));
    }

    const poller = clientOf(ctx.server, { token: sessions[0]!.token });
    /** For each servedThrough seen: [last send that saw less, first response that saw it]. */
    const seen: Array<{ value: number; before: number; after: number }> = [];
    const watchS = ctx.durationS;
    const salesStartAt = await startSalesIn(ctx.server, EVENT_ID, opensAt, ADMIT_PER_MINUTE, 1_000);
    const endAt = salesStartAt + watchS * 1_000;
    let lastBelowSent = performance.now();
    let lastValue = 0;
    let polls = 0;
    const pollRefusals: number[] = [];
    let pausedAt: number | undefined;
    // Admission runs for the watch, then pauses; polling goes on a moment so that the poller has
    // seen every value a frame can carry.
    while (pausedAt === undefined || Date.now() < pausedAt + 1_000) {
      if (pausedAt === undefined && Date.now() >= endAt) {
        while (
          isRefusal(await orRefusal(clientOf(ctx.server).patchQueue(EVENT_ID, { paused: true })))
        ) {
          await new Promise((r) => setTimeout(r, 100));
        }
        pausedAt = Date.now();
      }
      const sent = performance.now();
      const entry = await orRefusal(poller.queueEntry(EVENT_ID));
      const got = performance.now();
      polls++;
      // A refusal (503 when a Redis call timed out on the loaded machine) brackets nothing.
      if (entry instanceof ApiError) {
        pollRefusals.push(entry.status);
        continue;
      }
      if (entry.servedThrough > lastValue) {
        seen.push({ value: entry.servedThrough, before: lastBelowSent, after: got });
        lastValue = entry.servedThrough;
      }
      lastBelowSent = sent;
    }
    // The last frames come within the frame interval; then the figures.
    await new Promise((r) => setTimeout(r, 500));
    for (const w of open) w.socket.terminate();

    // Each frame's change: the first poll that saw at least its value.
    const upper: number[] = [];
    const lower: number[] = [];
    let unmatched = 0;
    let frames = 0;
    const values = new Set<number>();
    for (const w of open) {
      for (const [value, receivedAt] of w.frames) {
        if (value === 0) continue;
        frames++;
        values.add(value);
        const change = seen.find((s) => s.value >= value);
        if (change === undefined) {
          unmatched++;
          continue;
        }
        upper.push(Math.max(0, receivedAt - change.before));
        lower.push(Math.max(0, receivedAt - change.after));
      }
    }
    const up = sortedCopy(upper);
    const low = sortedCopy(lower);
    const p99 = percentile(up, 99);

    // Every watcher got every frame the server sent after its first one.
    const violations: Violation[] = [];
    const all = [...values].sort((a, b) => a - b);
    let missed = 0;
    for (const w of open) {
      const mine = new Set(w.frames.map(([v]) => v));
      const from = w.frames[0]?.[0] ?? 0;
      for (const v of all) if (v > from && !mine.has(v)) missed++;
      const served = w.frames.map(([v]) => v);
      if (served.some((v, i) => i > 0 && v < served[i - 1]!)) missed++;
    }
    if (missed > 0) {
      violations.push({
        invariant: 'missed-change',
        eventId: EVENT_ID,
        detail: `${missed} servedThrough frames missing (or backwards) at watchers`,
      });
    }
    if (classes.ok + rejoined !== joiners) {
      violations.push({
        invariant: 'queue-join',
        eventId: EVENT_ID,
        detail: `${classes.ok} of ${joiners} joins answered 201, ${rejoined} joined again (${JSON.stringify(refused)})`,
      });
    }
    const judge = (ok: boolean | null) => (ctx.quick ? null : ok);
    return {
      name: 'queue',
      throughput: { value: round(joined.rps, 0), unit: 'joins/s' },
      p50Ms: joined.p50Ms,
      p99Ms: joined.p99Ms,
      errors: classes.errors + connectFailures,
      targets: [
        {
          label: 'joins ≥ 0.5 × ceiling',
          measured: ratio === null ? 'no ceiling' : `${ratio.toFixed(2)} ×`,
          pass: judge(ratio === null ? null : ratio >= 0.5),
        },
        p99Target(ctx, joined.p99Ms, 50),
        {
          label: `frame lag p99 ≤ ${LAG_LIMIT_MS} ms (${open.length} watchers)`,
          measured: p99 === null ? 'no frames' : `${round(p99, 1)} ms`,
          pass: judge(p99 === null ? false : p99 <= LAG_LIMIT_MS),
        },
      ],
      violations,
      details: {
        ...runDetails(joined),
        loadAverage1m: round(load, 2),
        joiners,
        joinsCutAtTheEnd: joined.load.unanswered.length,
        rejoined,
        watchers,
        connected: open.length,
        connectFailures,
        admitPerMinute: ADMIT_PER_MINUTE,
        watchedSeconds: watchS,
        servedThroughAtEnd: lastValue,
        distinctFrameValues: values.size,
        framesTimed: up.length,
        framesUnmatched: unmatched,
        framesReceived: frames,
        polls,
        pollRefusals: pollRefusals.length,
        lagMethod:
          'receipt − the change as bracketed by a back-to-back API poller: upper = since the last ' +
          'poll sent that saw less, lower = since the first response that saw it',
        lagUpperP50Ms: round(percentile(up, 50) ?? 0, 1),
        lagUpperP99Ms: p99 === null ? null : round(p99, 1),
        lagUpperMaxMs: round(up[up.length - 1] ?? 0, 1),
        lagLowerP50Ms: round(percentile(low, 50) ?? 0, 1),
        lagLowerP99Ms: round(percentile(low, 99) ?? 0, 1),
      },
    };
  },
};
