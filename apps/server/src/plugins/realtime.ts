// GET /ws: the real-time seat map. Registers @fastify/websocket, the replica's feed hub, the
// keep-alive that drops dead peers, and a shutdown that tells clients to reconnect elsewhere.
import websocket from '@fastify/websocket';
import fp from 'fastify-plugin';
import { ErrorCode } from '@ticketmain/protocol';
import { errors } from '../domain/errors.js';
import { Connection } from '../realtime/connection.js';
import { refuseOnSocket } from './errors.js';
import { noBody, problems } from './openapi.js';
import { RealtimeHub } from '../realtime/hub.js';

export interface RealtimeOptions {
  flushIntervalMs: number;
  highWaterBytes: number;
  lowWaterBytes: number;
  pingIntervalMs: number;
  maxMessageBytes: number;
  maxSubscriptions: number;
}

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
      },
      {
        framesSent: (count) => metrics.wsFrames.inc(count),
        resync: () => metrics.wsResyncs.inc(),
        lag: (ms) => metrics.fanoutLag.observe(ms / 1000),
        error: (err, message) => app.log.warn({ err }, message),
      },
    );
    app.decorate('realtime', hub);
    const connections = new Set<Connection>();

    await app.register(websocket, {
      options: { maxPayload: options.maxMessageBytes, perMessageDeflate: false },
      preClose: async () => {
        for (const connection of connections) {
          connection.close(CLOSE_SERVICE_RESTART, 'Server restarting');
        }
        await hub.close();
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
        'A request that is not an upgrade is answered as a path without a route.',
      tags: ['realtime'],
      response: {
        101: noBody('Switching Protocols: the WebSocket is open'),
        ...problems(ErrorCode.NotFound),
      },
    };
    app.route({
      method: 'GET',
      url: '/ws',
      schema,
      // A plain GET; @fastify/websocket's own answer to it is an empty 404.
      handler: async () => {
        throw errors.noRoute();
      },
      wsHandler: (socket, request) => {
        // ws took over the upgrade request's TCP socket; frames framed once may be written to it
        // directly as long as no extension (permessage-deflate, off above) transforms frames.
        const tcp = socket.extensions === '' ? request.raw.socket : undefined;
        const connection = new Connection(socket, tcp, hub, catalog, options, request.log);
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
    app.addHook('onClose', async () => clearInterval(keepAlive));
  },
  { name: 'realtime', dependencies: ['stores', 'services', 'metrics'] },
);
