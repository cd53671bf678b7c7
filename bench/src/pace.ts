// Requests at a fixed rate (not as fast as possible): every tick sends what the schedule says is
// due, up to a cap of requests in flight, over a few keep-alive connections. The fan-out scenario
// drives its seat changes with it, so that changes flow steadily rather than in autocannon's
// per-second bursts. Bounded in time and in count.
import { performance } from 'node:perf_hooks';
import { keepAliveAgent, send, type HttpRequest } from './keepalive.js';
import { sleep } from './util.js';

export interface PacedSpec<Op> {
  url: string;
  /** Requests per second. */
  rate: number;
  durationS: number;
  connections: number;
  /** Requests in flight at most; when reached, the schedule falls behind (counted). */
  maxInFlight: number;
  /** The next request, or null to skip this slot. */
  next(): (HttpRequest & { op: Op }) | null;
  done(op: Op, status: number, body: string): void;
}

export interface PacedResult {
  elapsedS: number;
  sent: number;
  responses: number;
  statuses: Record<string, number>;
  /** Requests that failed without a response (socket errors, timeouts). */
  failed: number;
  /** Slots skipped because maxInFlight requests were pending. */
  behind: number;
  /** Slots skipped because next() had nothing to send. */
  idle: number;
  latenciesMs: number[];
}

const TICK_MS = 2;
const DRAIN_TIMEOUT_MS = 20_000;

export async function runPaced<Op>(spec: PacedSpec<Op>): Promise<PacedResult> {
  const agent = keepAliveAgent(spec.connections);
  const result: PacedResult = {
    elapsedS: 0,
    sent: 0,
    responses: 0,
    statuses: {},
    failed: 0,
    behind: 0,
    idle: 0,
    latenciesMs: [],
  };
  const maxSlots = Math.ceil(spec.rate * spec.durationS);
  let inFlight = 0;
  let slots = 0;
  const started = performance.now();

  const fire = (): void => {
    const planned = spec.next();
    if (planned === null) {
      result.idle++;
      return;
    }
    inFlight++;
    result.sent++;
    void send(agent, spec.url, planned).then((reply) => {
      inFlight--;
      if (reply.status === 0) result.failed++;
      else {
        result.responses++;
        result.statuses[reply.status] = (result.statuses[reply.status] ?? 0) + 1;
        result.latenciesMs.push(reply.ms);
      }
      spec.done(planned.op, reply.status, reply.body);
    });
  };

  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - started;
      const due = Math.min(maxSlots, Math.floor((elapsed / 1000) * spec.rate));
      while (slots < due) {
        slots++;
        if (inFlight >= spec.maxInFlight) result.behind++;
        else fire();
      }
      if (elapsed >= spec.durationS * 1000 || slots >= maxSlots) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  result.elapsedS = (performance.now() - started) / 1000;
  const drainBy = performance.now() + DRAIN_TIMEOUT_MS;
  while (inFlight > 0 && performance.now() < drainBy) {
    await sleep(10);
  }
  agent.destroy();
  return result;
}
