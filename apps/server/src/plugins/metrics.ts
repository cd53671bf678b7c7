// Prometheus metrics (prom-client): HTTP latency, holds, conflicts, orders, and the real-time
// gauges, scraped at /metrics (health/routes.ts). One registry per app, so several apps in one
// process never share counters.
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  holds: Counter<'status'>;
  orders: Counter<'status'>;
  wsClients: Gauge;
  wsFrames: Counter;
  wsResyncs: Counter;
  wsClientFaults: Counter<'reason'>;
  fanoutLag: Histogram;
  eventDetailBuilds: Counter;
  /** Waiting rooms, as this replica's admission ticker last read them. */
  queueWaiting: Gauge<'event'>;
  queueServedThrough: Gauge<'event'>;
  queueAdmitPerMinute: Gauge<'event'>;
  /** Numbers this replica's ticks admitted (rate() of it: admissions per minute). */
  queueAdmitted: Counter<'event'>;
  /** How late each admission pass started after the one before, past its interval. */
  queueTickLag: Histogram;
  queueJoinRefusals: Counter<'reason'>;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
  interface FastifyContextConfig {
    /** Counts this route's responses by status in one of the domain counters. */
    countAs?: 'holds' | 'orders';
  }
}

function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpDuration: new Histogram({
      name: 'ticketmain_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    holds: new Counter({
      name: 'ticketmain_holds_total',
      help: 'Hold requests by HTTP status (201 held, 409 conflict, 422 limit or unknown seat)',
      labelNames: ['status'],
      registers,
    }),
    orders: new Counter({
      name: 'ticketmain_orders_total',
      help: 'Order requests by HTTP status (201 created, 200 replayed, 409 refused)',
      labelNames: ['status'],
      registers,
    }),
    wsClients: new Gauge({
      name: 'ticketmain_ws_clients',
      help: 'Open WebSocket connections',
      registers,
    }),
    wsFrames: new Counter({
      name: 'ticketmain_ws_frames_sent_total',
      help: 'Seat-change frames written to WebSocket clients',
      registers,
    }),
    wsResyncs: new Counter({
      name: 'ticketmain_ws_resyncs_total',
      help: 'Resyncs sent to WebSocket clients (gap, lag, reset)',
      registers,
    }),
    wsClientFaults: new Counter({
      name: 'ticketmain_ws_client_faults_total',
      help: 'WebSockets closed or refused for what their client did, by reason',
      labelNames: ['reason'],
      registers,
    }),
    fanoutLag: new Histogram({
      name: 'ticketmain_fanout_lag_seconds',
      help: 'Time from the hold store change to the frame write',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    eventDetailBuilds: new Counter({
      name: 'ticketmain_event_detail_builds_total',
      help: 'Event details serialised and compressed (once per event and replica)',
      registers,
    }),
    queueWaiting: new Gauge({
      name: 'ticketmain_queue_waiting',
      help: 'Entries of the waiting room not admitted yet (0 once sold out)',
      labelNames: ['event'],
      registers,
    }),
    queueServedThrough: new Gauge({
      name: 'ticketmain_queue_served_through',
      help: 'Every number of the waiting room up to this one has been admitted',
      labelNames: ['event'],
      registers,
    }),
    queueAdmitPerMinute: new Gauge({
      name: 'ticketmain_queue_admit_per_minute',
      help: "The waiting room's admission rate (0 while paused)",
      labelNames: ['event'],
      registers,
    }),
    queueAdmitted: new Counter({
      name: 'ticketmain_queue_admitted_total',
      help: "Numbers admitted by this replica's ticks",
      labelNames: ['event'],
      registers,
    }),
    queueTickLag: new Histogram({
      name: 'ticketmain_queue_tick_lag_seconds',
      help: 'How late an admission pass started: its gap from the last one, less the interval',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    queueJoinRefusals: new Counter({
      name: 'ticketmain_queue_join_refusals_total',
      help: 'Joins of a waiting room refused, by reason',
      labelNames: ['reason'],
      registers,
    }),
  };
}

export default fp(
  async (app) => {
    const metrics = createMetrics();
    app.decorate('metrics', metrics);

    // The labelled series of each route and status, looked up once: prom-client hashes a labels
    // object on every call otherwise, on the path of every request.
    const series = new Map<
      string,
      { duration: Histogram.Internal<'method' | 'route' | 'status'>; count?: Counter.Internal }
    >();
    const seriesOf = (request: FastifyRequest, status: number) => {
      const route = request.routeOptions.url ?? 'unknown';
      const key = `${request.method} ${route} ${status}`;
      let found = series.get(key);
      if (found === undefined) {
        const countAs = request.routeOptions.config.countAs;
        found = { duration: metrics.httpDuration.labels(request.method, route, String(status)) };
        if (countAs !== undefined) found.count = metrics[countAs].labels(String(status));
        series.set(key, found);
      }
      return found;
    };
    app.addHook('onResponse', (request, reply, done) => {
      const { duration, count } = seriesOf(request, reply.statusCode);
      count?.inc();
      duration.observe(reply.elapsedTime / 1000);
      done();
    });
  },
  { name: 'metrics' },
);
