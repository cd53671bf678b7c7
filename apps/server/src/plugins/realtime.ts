// GET /ws: the real-time seat map. Registers @fastify/websocket, the replica's feed hub, the
// keep-alive that drops dead peers, the cap on connections per client address, the throttled log
// of client faults, and a shutdown that tells clients to reconnect elsewhere.
import websocket from '@fastify/websocket';
import { ErrorCode } from '@ticketmain/protocol';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, errors } from '../domain/errors.js';
import { clientAddress } from '../limits/client-address.js';
import { LogThrottle } from '../limits/log-throttle.js';
import { AddressSlots } from '../realtime/address-slots.js';
import { Connection, wsErrorCode, type ClientFault } from '../realtime/connection.js';
import { refuseOnSocket } from './errors.js';
import { noBody, problems } from './openapi.js';
import { gaShapeOf } from '../domain/venue/layout.js';
import { RealtimeHub } from '../realtime/hub.js';
import { QueueWatch } from '../realtime/queue-watch.js';
import type { PresenceStore } from '../realtime/presence.js';
import { randomUUID } from 'node:crypto';

export interface RealtimeOptions {
  flushIntervalMs: number;
  highWaterBytes: number;
  lowWaterBytes: number;
  pingIntervalMs: number;
  maxMessageBytes: number;
  maxSubscriptions: number;
  maxInvalidPerSecond: number;
  /** 0: no cap. */
  maxConnectionsPerAddress: number;
  viewersIntervalMs: number;
  queueFrameIntervalMs: number;
  /** Where the replicas add up their viewers of each event. */
  presence: PresenceStore;
}

type Fault = ClientFault | 'address_cap';

/** One sentence per fault, for the log (the reason and the counts go in its fields). */
const FAULT_MESSAGES: Record<Fault, string> = {
  invalid_messages: 'websocket closed: too many invalid messages',
  not_reading: 'websocket closed: replies left unread past WS_HIGH_WATER_BYTES',
  message_too_large: 'websocket closed: message over WS_MAX_MESSAGE_BYTES',
  protocol_error: 'websocket closed: invalid frame',
  address_cap: 'websocket refused: WS_MAX_CONNECTIONS_PER_ADDRESS reached',
};

declare module 'fastify' {
  interface FastifyInstance {
    /** This replica's live feeds: WebSocket subscribers, and the seat lists of HTTP snapshots. */
    realtime: RealtimeHub;
  }
}

/** RFC 6455 "service restart": the client should reconnect, to this or another replica. */
export const CLOSE_SERVICE_RESTART = 1012;

export default fp<RealtimeOptions>(
  async (app, options) => {
    const { metrics, holdStore } = app;
    const { catalog } = app.events;
    const hub = new RealtimeHub(
      holdStore,
      {
        flushIntervalMs: options.flushIntervalMs,
        highWaterBytes: options.highWaterBytes,
        lowWaterBytes: options.lowWaterBytes,
        checkIntervalMs: 2_000,
        idleMs: 30_000,
        presence: {
          store: options.presence,
          replicaId: randomUUID(),
          intervalMs: options.viewersIntervalMs,
        },
      },
      {
        framesSent: (count) => metrics.wsFrames.inc(count),
        resync: () => metrics.wsResyncs.inc(),
        lag: (ms) => metrics.fanoutLag.observe(ms / 1000),
        error: (err, message) => app.log.warn({ err }, message),
      },
      async (eventId) => gaShapeOf((await catalog.get(eventId)).index),
    );
    app.decorate('realtime', hub);
    const queues = new QueueWatch(
      app.queueStore,
      { intervalMs: options.queueFrameIntervalMs, highWaterBytes: options.highWaterBytes },
      {
        framesSent: (count) => metrics.wsFrames.inc(count),
        error: (err, message) => app.log.warn({ err }, message),
      },
    );
    const connections = new Set<Connection>();
    const slots = new AddressSlots(options.maxConnectionsPerAddress);
    // Warn, without a stack: a client's fault is worth an operator's eye, not a bug report.
    const faultLog = new LogThrottle((fields, message) => app.log.warn(fields, message));
    const reportFault = (reason: Fault, fields: Record<string, unknown>) => {
      metrics.wsClientFaults.inc({ reason });
      faultLog.log(reason, fields, FAULT_MESSAGES[reason]);
    };

    /** Refuses the upgrade (429) of an address with no connection left; counts the others. */
    const takeSlot = async (request: FastifyRequest) => {
      if (!request.ws) return; // a plain GET: answered 404
      const address = clientAddress(request.ip);
      const release = slots.take(address);
      if (release === undefined) {
        reportFault('address_cap', { address });
        throw new AppError(
          ErrorCode.RateLimited,
          `At most ${options.maxConnectionsPerAddress} WebSocket connections per client address`,
        );
      }
      // The TCP socket closes however the connection ends, upgraded or not.
      const tcp = request.raw.socket;
      if (tcp.closed) release();
      else tcp.once('close', release);
    };

    await app.register(websocket, {
      options: {
        maxPayload: options.maxMessageBytes,
        perMessageDeflate: false,
        // Each client message gets a turn of the event loop of its own: a read full of tiny
        // frames (64 KiB of one-byte junk is 9,000 messages) cannot hold up everything else
        // while it is parsed, and its client is caught and paused after its first few.
        allowSynchronousEvents: false,
      },
      errorHandler: (error, socket, request) => {
        // A client's bad frame: its Connection reports it, and ws closes with the frame's code.
        if (wsErrorCode(error) !== undefined) return;
        request.log.error({ err: error }, 'websocket handler failed');
        socket.terminate();
      },
      preClose: async () => {
        for (const connection of connections) {
          connection.close(CLOSE_SERVICE_RESTART, 'Server restarting');
        }
        await hub.close();
        await queues.close();
        await new Promise<void>((resolve) => app.websocketServer.close(() => resolve()));
      },
    });
    // A malformed handshake (no key, another version): ws's own answer is text/html.
    app.websocketServer.on('wsClientError', (error, socket) => {
      app.log.debug({ message: error.message }, 'websocket handshake refused');
      refuseOnSocket(socket, errors.invalid('The WebSocket handshake is not valid'));
    });

    const schema = {
      summary: 'The live seat feed over WebSocket',
      description:
        'Upgrade to a WebSocket, then send `subscribe` messages; the server answers with a ' +
        'snapshot and the changes after it (the message unions of the protocol package). ' +
        "A `queue` message asks for the event's waiting-room frames. " +
        'A request that is not an upgrade is answered as a path without a route.',
      tags: ['realtime'],
      response: {
        101: noBody('Switching Protocols: the WebSocket is open'),
        ...problems(ErrorCode.NotFound, ErrorCode.RateLimited),
      },
    };
    app.route({
      method: 'GET',
      url: '/ws',
      schema,
      onRequest: takeSlot,
      // A plain GET; @fastify/websocket's own answer to it is an empty 404.
      handler: async () => {
        throw errors.noRoute();
      },
      wsHandler: (socket, request) => {
        // ws took over the upgrade request's TCP socket; frames framed once may be written to it
        // directly as long as no extension (permessage-deflate, off above) transforms frames.
        const tcp = socket.extensions === '' ? request.raw.socket : undefined;
        const address = clientAddress(request.ip);
        const connection = new Connection(socket, tcp, {
          hub,
          queues,
          catalog,
          limits: options,
          log: request.log,
          fault: (reason, fields) => reportFault(reason, { address, ...fields }),
        });
        connections.add(connection);
        metrics.wsClients.inc();
        socket.on('close', () => {
          connections.delete(connection);
          metrics.wsClients.dec();
        });
      },
    });

    const keepAlive = setInterval(() => {
      for (const connection of connections) connection.heartbeat();
    }, options.pingIntervalMs);
    keepAlive.unref();
    app.addHook('onClose', async () => {
      clearInterval(keepAlive);
      faultLog.flush();
    });
  },
  { name: 'realtime', dependencies: ['stores', 'services', 'metrics'] },
);
