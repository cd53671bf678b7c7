// One autocannon run driven by a scenario's plan: each connection asks `next()` for its next
// request and reports the response to `done()`, so bodies, tokens and seats vary per request and
// a scenario can chain requests (hold, then release or order). Bounded in time and in count.
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';

export interface Planned<Op extends object> {
  op: Op;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface LoadSpec<Op extends object> {
  url: string;
  connections: number;
  durationS: number;
  /** Most requests to plan; the run ends early when reached, or when next() returns null. */
  maxRequests: number;
  next(): Planned<Op> | null;
  done(op: Op, status: number, body: string): void;
  /** Latency bucket of a request (e.g. "hold", "release"); one bucket when absent. */
  kind?(op: Op): string;
}

export interface LoadResult<Op extends object> {
  elapsedS: number;
  /** Responses to planned requests (filler requests after an early end are not counted). */
  responses: number;
  statuses: Record<string, number>;
  /** Socket errors and timeouts, as autocannon counts them. */
  socketErrors: number;
  timeouts: number;
  /** Latencies in ms of every response, whatever its status, by kind. */
  latencies: Map<string, number[]>;
  /** Planned requests that got no response (cut at the end of the run, or a socket error). */
  unanswered: Op[];
  endedEarly: boolean;
}

/** autocannon's per-request context: the op of the request a connection has in flight. */
interface Context {
  op?: object;
  /** A probe sent after the plan ran out: not counted. */
  filler?: boolean;
}

const REQUEST_TIMEOUT_S = 10;

export function runLoad<T extends object>(spec: LoadSpec<T>): Promise<LoadResult<T>> {
  const inFlight = new Set<T>();
  const latencies = new Map<string, number[]>();
  const statuses: Record<string, number> = {};
  let responses = 0;
  let planned = 0;
  let endedAt: number | undefined;
  // autocannon calls onResponse then emits 'response' (with the latency) synchronously for the
  // same response: this carries the op from one to the other.
  let answered: { op: T } | null = null;
  let instance: autocannon.Instance | undefined;

  const plan = (request: autocannon.Request, context: object): autocannon.Request => {
    const ctx = context as Context;
    const next = endedAt === undefined && planned < spec.maxRequests ? spec.next() : null;
    if (next === null) {
      // Nothing left to do: end the run, and keep the connection busy with a cheap probe until
      // autocannon notices (within a second).
      if (endedAt === undefined) {
        endedAt = performance.now();
        setImmediate(() => instance?.stop());
      }
      ctx.filler = true;
      return { ...request, method: 'GET', path: '/health', headers: {}, body: '' };
    }
    planned++;
    ctx.filler = false;
    ctx.op = next.op;
    inFlight.add(next.op);
    return toRequest(request, next);
  };

  const onResponse = (status: number, body: string, context: object): void => {
    const { op, filler } = context as Context;
    answered = null;
    if (filler === true || op === undefined) return;
    const typed = op as T;
    inFlight.delete(typed);
    responses++;
    statuses[status] = (statuses[status] ?? 0) + 1;
    answered = { op: typed };
    spec.done(typed, status, body);
  };

  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.durationS,
        timeout: REQUEST_TIMEOUT_S,
        requests: [{ method: 'GET', path: '/health', setupRequest: plan, onResponse }],
      },
      (err: unknown, result: autocannon.Result) => {
        if (err) return reject(err instanceof Error ? err : new Error(String(err)));
        const finishedAt = endedAt ?? performance.now();
        resolve({
          elapsedS: (finishedAt - startedAt) / 1000,
          responses,
          statuses,
          socketErrors: result.errors - result.timeouts,
          timeouts: result.timeouts,
          latencies,
          unanswered: [...inFlight],
          endedEarly: endedAt !== undefined,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime: number) => {
      if (answered === null) return;
      const kind = spec.kind?.(answered.op) ?? 'all';
      answered = null;
      let bucket = latencies.get(kind);
      if (bucket === undefined) latencies.set(kind, (bucket = []));
      bucket.push(responseTime);
    });
  });
}

function toRequest<T extends object>(
  base: autocannon.Request,
  next: Planned<T>,
): autocannon.Request {
  const headers: Record<string, string> = { ...next.headers };
  if (next.token !== undefined) headers.authorization = `Bearer ${next.token}`;
  let body = '';
  // Fastify refuses an empty body declared as JSON, so only requests with a body say JSON.
  if (next.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(next.body);
  }
  return { ...base, method: next.method, path: next.path, headers, body };
}

/** Every latency of the run, in one list. */
export function allLatencies(result: LoadResult<object>): number[] {
  return [...result.latencies.values()].flat();
}
