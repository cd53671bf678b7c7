import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { textFrame } from './wire.js';

/** A ws server (permessage-deflate off, as the app's) and one client connected to it. */
async function connect() {
  const server = new WebSocketServer({ port: 0, perMessageDeflate: false });
  const accepted = new Promise<{ ws: WebSocket; tcp: Socket }>((resolve) =>
    server.once('connection', (ws, request) => resolve({ ws, tcp: request.socket })),
  );
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
  const received: string[] = [];
  client.on('message', (data, isBinary) => {
    expect(isBinary).toBe(false);
    received.push(String(data));
  });
  await new Promise((resolve) => client.once('open', resolve));
  return { server, client, received, ...(await accepted) };
}

let close = async (): Promise<void> => {};
afterEach(() => close());

describe('textFrame', () => {
  it('is received intact by a ws client, in each of the three length forms', async () => {
    const { server, client, received, ws, tcp } = await connect();
    close = async () => {
      client.terminate();
      await new Promise((resolve) => server.close(resolve));
    };
    // 125 and 126, 65,535 and 65,536 bytes: each side of the 16- and 64-bit length fields.
    const texts = [0, 10, 125, 126, 300, 65_535, 65_536, 200_000].map((n) => 'x'.repeat(n));
    texts.push('{"seat":"é–€"}'.repeat(1_000)); // multi-byte UTF-8: the length is in bytes
    for (const [i, text] of texts.entries()) {
      tcp.write(textFrame(text).wire);
      ws.send(`ws ${i}`); // frames written by ws in between stay whole and in order
    }
    await expect.poll(() => received.length).toBe(texts.length * 2);
    expect(received).toEqual(texts.flatMap((text, i) => [text, `ws ${i}`]));
  });

  it("is counted in ws's bufferedAmount while the peer does not read", async () => {
    const { server, client, ws, tcp } = await connect();
    close = async () => {
      client.terminate();
      await new Promise((resolve) => server.close(resolve));
    };
    client.pause();
    const frame = textFrame('x'.repeat(100_000));
    for (let i = 0; i < 100; i++) tcp.write(frame.wire);
    // Far more than the kernel's socket buffers hold: the rest waits in the socket's queue.
    expect(ws.bufferedAmount).toBeGreaterThan(1_000_000);
  });
});
