// One autocannon run driven by a scenario's plan: each connection asks `next()` for its next
// request and reports the response to `done()`, so bodies, tokens and seats vary per request and
// a scenario can chain requests (hold, then release or order). Bounded in time and in count.
// Several URLs (replicas of one server): one autocannon instance per URL, started together, the
// connections split evenly, the same plan for all; the results are merged.
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import type {
  BestHoldRequest,
  CheckInRequest,
  HoldRequest,
  OrderRequest,
} from '@ticketmain/protocol';

export interface Planned<Op extends object> {
  op: Op;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  token?: string;
  body?: HoldRequest | BestHoldRequest | OrderRequest | CheckInRequest;
  headers?: Record<string, string>;
}

export interface LoadSpec<Op extends object> {
  /** One server, or several replicas that share the load (connections split evenly). */
  url: string | readonly string[];
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
  /** Planned requests that got no response (cut at the end of the duration, or a socket error). */
  unanswered: Op[];
  endedEarly: boolean;
  /** With several URLs: each one's connections and responses. */
  perUrl?: Array<{ url: string; connections: number; responses: number }>;
}

/** autocannon's per-request context: the op of the request a connection has in flight. */
interface Context {
  op?: object;
  /** A probe sent after the plan ran out: not counted. */
  filler?: boolean;
}

/** What the instances of one run share: the count of planned requests and the end of the plan. */
interface Shared {
  planned: number;
  endedAt: number | undefined;
}

const REQUEST_TIMEOUT_S = 10;

export async function runLoad<T extends object>(spec: LoadSpec<T>): Promise<LoadResult<T>> {
  const shared: Shared = { planned: 0, endedAt: undefined };
  if (typeof spec.url === 'string') return runOne(spec, spec.url, spec.connections, shared);
  const urls: readonly string[] = spec.url;
  if (urls.length === 0 || spec.connections < urls.length) {
    throw new Error(`${spec.connections} connections cannot be split over ${urls.length} URLs`);
  }
  const share = (i: number): number =>
    Math.floor(spec.connections / urls.length) + (i < spec.connections % urls.length ? 1 : 0);
  const parts = await Promise.all(urls.map((url, i) => runOne(spec, url, share(i), shared)));
  return merge(parts, urls, share);
}

function runOne<T extends object>(
  spec: LoadSpec<T>,
  url: string,
  connections: number,
  shared: Shared,
): Promise<LoadResult<T>> {
  const inFlight = new Set<T>();
  const latencies = new Map<string, number[]>();
  const statuses: Record<string, number> = {};
  let responses = 0;
  let stopping = false;
  let lastAnswerAt = 0;
  let drainTimer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    clearTimeout(drainTimer);
    setImmediate(() => instance?.stop());
  };
  // autocannon calls onResponse then emits 'response' (with the latency) synchronously for the
  // same response: this carries the op from one to the other.
  let answered: { op: T } | null = null;
  let instance: autocannon.Instance | undefined;

  const plan = (request: autocannon.Request, context: object): autocannon.Request => {
    const ctx = context as Context;
    const next =
      shared.endedAt === undefined && shared.planned < spec.maxRequests ? spec.next() : null;
    if (next === null) {
      // Nothing left to plan: end the run (every instance of it) once the requests in flight are
      // answered (or a request's timeout has passed), keeping idle connections busy with a cheap
      // probe meanwhile and until autocannon notices the stop (within a second). Stopping at
      // once would cut the last requests (a check-in's last scans) off unanswered.
      shared.endedAt ??= performance.now();
      if (inFlight.size === 0) stop();
      else drainTimer ??= setTimeout(stop, REQUEST_TIMEOUT_S * 1000);
      ctx.filler = true;
      return { ...request, method: 'GET', path: '/health', headers: {}, body: '' };
    }
    shared.planned++;
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
    lastAnswerAt = performance.now();
    responses++;
    statuses[status] = (statuses[status] ?? 0) + 1;
    answered = { op: typed };
    spec.done(typed, status, body);
  };

  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    instance = autocannon(
      {
        url,
        connections,
        duration: spec.durationS,
        timeout: REQUEST_TIMEOUT_S,
        requests: [{ method: 'GET', path: '/health', setupRequest: plan, onResponse }],
      },
      (err: unknown, result: autocannon.Result) => {
        if (err) return reject(err instanceof Error ? err : new Error(String(err)));
        clearTimeout(drainTimer);
        const finishedAt =
          shared.endedAt === undefined ? performance.now() : Math.max(shared.endedAt, lastAnswerAt);
        resolve({
          elapsedS: (finishedAt - startedAt) / 1000,
          responses,
          statuses,
          socketErrors: result.errors - result.timeouts,
          timeouts: result.timeouts,
          latencies,
          unanswered: [...inFlight],
          endedEarly: shared.endedAt !== undefined,
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

/** The runs of one plan on several URLs at once, as one run. */
function merge<T extends object>(
  parts: ReadonlyArray<LoadResult<T>>,
  urls: readonly string[],
  connections: (i: number) => number,
): LoadResult<T> {
  return {
    ...combine(parts),
    elapsedS: Math.max(...parts.map((p) => p.elapsedS)),
    perUrl: parts.map((p, i) => ({
      url: urls[i] ?? '',
      connections: connections(i),
      responses: p.responses,
    })),
  };
}

/**
 * Runs made one after the other, as one run: their times add up, and so do their responses per
 * URL where they all went to the same URLs.
 */
export function concatLoads<T extends object>(parts: ReadonlyArray<LoadResult<T>>): LoadResult<T> {
  const first = parts[0]?.perUrl;
  const sameUrls =
    first !== undefined &&
    parts.every(
      (p) => p.perUrl?.length === first.length && p.perUrl.every((u, i) => u.url === first[i]?.url),
    );
  return {
    ...combine(parts),
    elapsedS: parts.reduce((n, p) => n + p.elapsedS, 0),
    perUrl: sameUrls
      ? first.map((u, i) => ({
          ...u,
          responses: parts.reduce((n, p) => n + (p.perUrl?.[i]?.responses ?? 0), 0),
        }))
      : undefined,
  };
}

/** Everything but the elapsed time and the split per URL: sums and concatenations. */
function combine<T extends object>(
  parts: ReadonlyArray<LoadResult<T>>,
): Omit<LoadResult<T>, 'elapsedS' | 'perUrl'> {
  const statuses: Record<string, number> = {};
  const latencies = new Map<string, number[]>();
  for (const part of parts) {
    for (const [code, count] of Object.entries(part.statuses)) {
      statuses[code] = (statuses[code] ?? 0) + count;
    }
    for (const [kind, values] of part.latencies) {
      const bucket = latencies.get(kind);
      if (bucket === undefined) latencies.set(kind, [...values]);
      else for (const v of values) bucket.push(v);
    }
  }
  const sum = (pick: (p: LoadResult<T>) => number): number =>
    parts.reduce((n, p) => n + pick(p), 0);
  return {
    responses: sum((p) => p.responses),
    statuses,
    socketErrors: sum((p) => p.socketErrors),
    timeouts: sum((p) => p.timeouts),
    latencies,
    unanswered: parts.flatMap((p) => p.unanswered),
    endedEarly: parts.some((p) => p.endedEarly),
  };
}

/** Every latency of the run, in one list. */
export function allLatencies(result: LoadResult<object>): number[] {
  return [...result.latencies.values()].flat();
}
