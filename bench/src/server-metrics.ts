// The server's own real-time figures from GET /metrics (Prometheus text): frames sent, resyncs,
// and the fan-out lag histogram (store change → the frame written to the last socket), read
// before and after a run so that the bench can tell server time from delivery time.
import { clientOf, type ApiTarget } from './api.js';

export interface RealtimeMetrics {
  framesSent: number;
  resyncs: number;
  wsClients: number;
  /** Cumulative counts of the fan-out lag histogram by upper bound in seconds (+Inf included). */
  lagBuckets: Map<number, number>;
}

/** Undefined when the server does not answer with the metrics (they are reported as missing). */
export async function scrapeRealtime(server: ApiTarget): Promise<RealtimeMetrics | undefined> {
  // /metrics is for operators only: the admin token. Prometheus text, so the unchecked request.
  const reply = await clientOf(server)
    .request('GET', '/metrics', { auth: 'admin' })
    .catch(() => undefined);
  if (reply?.status !== 200 || typeof reply.body !== 'string') return undefined;
  const text = reply.body;
  const lagBuckets = new Map<number, number>();
  const bucket = /^ticketmain_fanout_lag_seconds_bucket\{le="([^"]+)"\} ([\d.e+]+)$/gm;
  for (const m of text.matchAll(bucket)) {
    lagBuckets.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]));
  }
  return {
    framesSent: single(text, 'ticketmain_ws_frames_sent_total'),
    resyncs: single(text, 'ticketmain_ws_resyncs_total'),
    wsClients: single(text, 'ticketmain_ws_clients'),
    lagBuckets,
  };
}

function single(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([\\d.e+]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/** What happened between two scrapes: counts, and the lag quantiles as bucket upper bounds (ms). */
export function realtimeDelta(
  before: RealtimeMetrics | undefined,
  after: RealtimeMetrics | undefined,
): Record<string, number | string | null> | undefined {
  if (before === undefined || after === undefined) return undefined;
  const bounds = [...after.lagBuckets.keys()].sort((a, b) => a - b);
  const counts = bounds.map(
    (le) => (after.lagBuckets.get(le) ?? 0) - (before.lagBuckets.get(le) ?? 0),
  );
  const total = counts.at(-1) ?? 0;
  const quantile = (p: number): string | null => {
    if (total === 0) return null;
    const i = counts.findIndex((c) => c >= (p / 100) * total);
    const le = bounds[i];
    return le === undefined ? null : le === Infinity ? '> max bucket' : `≤ ${le * 1000} ms`;
  };
  return {
    framesSent: after.framesSent - before.framesSent,
    resyncs: after.resyncs - before.resyncs,
    wsClients: after.wsClients,
    flushes: total,
    lagP50: quantile(50),
    lagP99: quantile(99),
  };
}
