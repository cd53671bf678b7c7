// A stand-in for the server's WebSocket endpoint in the bench's tests: the hello first on every
// connection, a snapshot on subscribe (and on resync), and seat frames to every subscriber on
// demand, laid out as the server writes them (packages/protocol/src/ws.ts).
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  ClientMessage,
  conforms,
  PROTOCOL_VERSION,
  type HelloMessage,
  type SeatChange,
  type SeatsMessage,
  type SnapshotMessage,
} from '@ticketmain/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import { toBuffer } from './pool.js';

export interface FakeSeatServer {
  /** The http:// origin; the sockets are at /ws. */
  url: string;
  /** One `seats` frame to every subscriber, the changes numbered on from the last seq. */
  change(changes: ReadonlyArray<Omit<SeatChange, 'seq'>>): void;
  close(): Promise<void>;
}

export async function fakeSeatServer(eventId: string): Promise<FakeSeatServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws' });
  await once(wss, 'listening');
  const subscribers = new Set<WebSocket>();
  const status = new Map<string, SeatChange['status']>();
  let seq = 0;
  const snapshot = (): SnapshotMessage => {
    const seats = [...status];
    const having = (s: SeatChange['status']) => seats.filter(([, v]) => v === s).map(([id]) => id);
    return { type: 'snapshot', eventId, seq, held: having('HELD'), sold: having('SOLD') };
  };
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION } satisfies HelloMessage));
    ws.on('message', (data) => {
      const message: unknown = JSON.parse(toBuffer(data).toString('utf8'));
      if (!conforms(ClientMessage, message) || message.type === 'unsubscribe') return;
      ws.send(JSON.stringify(snapshot()));
      subscribers.add(ws);
    });
    ws.on('close', () => subscribers.delete(ws));
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    change(changes) {
      const numbered = changes.map((c) => ({ seq: ++seq, ...c }));
      for (const c of numbered) {
        if (c.status === 'AVAILABLE') status.delete(c.seatId);
        else status.set(c.seatId, c.status);
      }
      const frame: SeatsMessage = { type: 'seats', eventId, time: Date.now(), changes: numbered };
      const text = JSON.stringify(frame);
      for (const ws of subscribers) ws.send(text);
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
