// The WebSocket half of the snapshot scenario: sequential subscribes, each over a fresh socket,
// timed from the subscribe message to the whole snapshot message received. The first one may
// seed the server's mirror of the event; the rest are served from it (and from its cached frame).
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { SnapshotMessage } from '@ticketmain/protocol';
import WebSocket from 'ws';
import { wsUrl } from './arena.js';
import { parseFull, readFrame } from './subscribers/frames.js';
import { toBuffer } from './subscribers/pool.js';

export interface WsSnapshotTimes {
  /** Subscribe → snapshot received, in ms, in order (the first one included). */
  times: number[];
  /** Connect (upgrade) times, in ms. */
  openTimes: number[];
  bytes: number;
  /** The first snapshot's size gzipped, for comparison with HTTP (the socket sends it raw). */
  gzipBytes: number;
  failures: string[];
  /** The first snapshot, parsed, to compare with the truth. */
  first: Pick<SnapshotMessage, 'seq' | 'held' | 'sold'> | undefined;
}

const TIMEOUT_MS = 30_000;

export async function timeWsSnapshots(
  baseUrl: string,
  eventId: string,
  count: number,
  deadline: number,
): Promise<WsSnapshotTimes> {
  const result: WsSnapshotTimes = {
    times: [],
    openTimes: [],
    bytes: 0,
    gzipBytes: 0,
    failures: [],
    first: undefined,
  };
  for (let i = 0; i < count && Date.now() < deadline; i++) {
    try {
      const { openMs, ms, data } = await subscribeOnce(wsUrl(baseUrl), eventId);
      result.times.push(ms);
      result.openTimes.push(openMs);
      result.bytes = data.length;
      if (result.first === undefined) {
        result.gzipBytes = gzipSync(data).length;
        const message = parseFull(data.toString('utf8'));
        if (message.type === 'snapshot') result.first = message;
      }
    } catch (err) {
      if (result.failures.length < 5) result.failures.push(String(err));
    }
  }
  return result;
}

function subscribeOnce(
  url: string,
  eventId: string,
): Promise<{ openMs: number; ms: number; data: Buffer }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let subscribedAt = 0;
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      maxPayload: 256 * 1024 * 1024,
    });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('no snapshot in time'));
    }, TIMEOUT_MS);
    ws.on('open', () => {
      subscribedAt = performance.now();
      ws.send(JSON.stringify({ type: 'subscribe', eventId }));
    });
    ws.on('message', (raw) => {
      const data = toBuffer(raw);
      const ms = performance.now() - subscribedAt;
      const kind = readFrame(data).kind;
      // The server's protocol version, first on every connection: the snapshot comes next.
      if (kind === 'hello') return;
      clearTimeout(timer);
      ws.terminate();
      if (kind === 'snapshot') {
        resolve({ openMs: subscribedAt - started, ms, data });
      } else {
        reject(new Error(`expected a snapshot, got ${data.subarray(0, 100).toString('utf8')}`));
      }
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
