// Run as its own process by the WebSocket abuse test: opens WebSockets that never read (a
// handcrafted upgrade on a paused TCP socket) and writes one-byte junk frames on each as fast as
// the socket takes them. Apart from the test so that its busy loop never delays the test's probes.
// Prints JSON lines: `{ "event": "open" }` once every socket is open, `{ "event": "closed",
// "socket", "afterMs" }` when the server drops one, and `{ "event": "done", "sockets" }` at the end
// (after durationMs, or once every socket is closed with "until-closed").
// Usage: junk-flood.ts <port> <sockets> <durationMs> [until-closed]
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

interface Flood {
  socket: Socket;
  bytesSent: number;
  closedAfterMs: number | undefined;
}

const [port, count, durationMs] = process.argv.slice(2, 5).map(Number);
const untilClosed = process.argv[5] === 'until-closed';
if (port === undefined || count === undefined || durationMs === undefined) {
  throw new Error('usage: junk-flood.ts <port> <sockets> <durationMs> [until-closed]');
}

/** Masked client text frames of one byte ("x": not JSON), 64 KiB of them back to back. */
function junkChunk(): Buffer {
  const frame = 7; // FIN + opcode, mask bit + length 1, 4 mask bytes, 1 payload byte
  const chunk = Buffer.alloc(Math.floor(65_536 / frame) * frame);
  for (let at = 0; at < chunk.length; at += frame) {
    const mask = randomBytes(4);
    chunk[at] = 0x81;
    chunk[at + 1] = 0x80 | 1;
    mask.copy(chunk, at + 2);
    chunk[at + 6] = 0x78 ^ mask[0]!;
  }
  return chunk;
}

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port!, '127.0.0.1');
    socket.once('error', reject);
    socket.once('connect', () => {
      const key = randomBytes(16).toString('base64');
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    let head = '';
    const onData = (data: Buffer) => {
      head += data.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      // From here on nothing is read: the server's replies pile up in its buffers.
      socket.pause();
      if (!head.startsWith('HTTP/1.1 101')) reject(new Error(head.split('\r\n')[0]));
      else resolve(socket);
    };
    socket.on('data', onData);
  });
}

function print(line: object): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  const chunk = junkChunk();
  const sockets = await Promise.all(Array.from({ length: count! }, open));
  const start = Date.now();
  const end = start + durationMs!;
  const floods: Flood[] = sockets.map((socket) => ({
    socket,
    bytesSent: 0,
    closedAfterMs: undefined,
  }));
  print({ event: 'open' });
  let allClosed!: () => void;
  const closed = new Promise<void>((resolve) => (allClosed = resolve));
  floods.forEach((flood, i) => {
    flood.socket.on('error', () => {});
    flood.socket.on('close', () => {
      flood.closedAfterMs = Date.now() - start;
      print({ event: 'closed', socket: i, afterMs: flood.closedAfterMs });
      if (floods.every((f) => f.closedAfterMs !== undefined)) allClosed();
    });
    const pump = () => {
      // A few writes a turn, so that the other sockets and the timers get theirs.
      for (let n = 0; n < 8; n++) {
        if (flood.socket.destroyed || Date.now() >= end) return;
        flood.bytesSent += chunk.length;
        if (!flood.socket.write(chunk)) {
          flood.socket.once('drain', pump);
          return;
        }
      }
      setImmediate(pump);
    };
    pump();
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    new Promise((resolve) => (timer = setTimeout(resolve, durationMs))),
    ...(untilClosed ? [closed] : []),
  ]);
  clearTimeout(timer);
  print({
    event: 'done',
    sockets: floods.map(({ bytesSent, closedAfterMs }) => ({
      bytesSent,
      closedAfterMs: closedAfterMs ?? null,
    })),
  });
  for (const { socket } of floods) socket.destroy();
}

main().catch((error: unknown) => {
  print({ event: 'failed', message: String(error) });
  process.exit(1);
});
