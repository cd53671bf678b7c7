// The real-time seat map on one server: snapshot then ordered deltas, expiry broadcasts,
// a few bad messages answered without closing, and no session id ever on the wire.
import { PROTOCOL_VERSION } from '@ticketmain/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Client } from '../support/client.js';
import { ADMIN_TOKEN, MODES, startServer, type TestServer } from '../support/server.js';
import { Watcher } from '../support/watcher.js';

const EVENT = 'arena-demo';

describe.each(MODES)('WebSocket seat map (%s)', (mode) => {
  let server: TestServer;
  const watchers: Watcher[] = [];
  const watch = async () => {
    const watcher = await Watcher.subscribe(server.url, EVENT);
    watchers.push(watcher);
    return watcher;
  };
  beforeAll(async () => {
    server = await startServer(mode, {
      env: { HOLD_TTL_SECONDS: '2', SWEEP_INTERVAL_MS: '200', WS_PING_INTERVAL_MS: '300' },
    });
  });
  afterEach(() => {
    for (const watcher of watchers.splice(0)) {
      watcher.close();
      expect(watcher.malformed).toEqual([]); // every frame is a ServerMessage of the protocol
    }
  });
  afterAll(() => server.close());

  it('sends a snapshot, then each change with the next seq', async () => {
    const buyer = await Client.session(server.url);
    expect((await buyer.hold(EVENT, ['J1'])).status).toBe(201);
    const watcher = await watch();
    expect(watcher.view().held).toContain('J1');
    const start = watcher.seq;

    expect((await buyer.hold(EVENT, ['J2', 'J3'])).status).toBe(201);
    await watcher.until(() => watcher.seats.get('J3') === 'HELD');
    expect(watcher.seq).toBe(start + 2);
    expect((await buyer.order(EVENT, ['J2'], 'ws-order')).status).toBe(201);
    expect((await buyer.release(EVENT, 'J3')).status).toBe(204);
    await watcher.until(() => watcher.seats.get('J2') === 'SOLD' && !watcher.seats.has('J3'));
    expect(watcher.untoldGaps).toEqual([]);
    const truth = (await buyer.seats(EVENT)).body;
    expect(watcher.seq).toBe(truth.seq);
    expect(watcher.view()).toEqual({ held: truth.held.sort(), sold: truth.sold.sort() });
  });

  it('greets every connection with the protocol version, before anything is asked', async () => {
    const watcher = await Watcher.open(server.url);
    watchers.push(watcher);
    await watcher.until(() => watcher.protocol !== undefined);
    expect(watcher.protocol).toBe(PROTOCOL_VERSION);
    expect(JSON.parse(watcher.frames[0] ?? '')).toEqual({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
    });
  });

  it('announces an expired hold as AVAILABLE to every subscriber within 3 s', async () => {
    const [first, second] = [await watch(), await watch()];
    const buyer = await Client.session(server.url);
    const hold = await buyer.hold(EVENT, ['K1']);
    expect(hold.status).toBe(201);
    const watchers = [first!, second!];
    await Promise.all(watchers.map((w) => w.until(() => w.seats.get('K1') === 'HELD')));
    const expiresAt = Date.parse(hold.body.holds[0]!.expiresAt);
    await Promise.all(watchers.map((w) => w.until(() => !w.seats.has('K1'), 6_000)));
    expect(Date.now() - expiresAt).toBeLessThan(3_000);
    expect(first!.untoldGaps).toEqual([]);
  });

  it('answers a few bad messages a second with error frames and keeps the connection', async () => {
    const watcher = await Watcher.open(server.url);
    watchers.push(watcher);
    const bad = [
      'not json',
      '{"type":"subscribe"}',
      '{"type":"dance","eventId":"arena-demo"}',
      '{"type":"subscribe","eventId":"no such event!"}',
      '{"type":"subscribe","eventId":"missing-event"}',
      '{"type":"resync","eventId":"arena-demo"}',
      '[]',
      'null',
    ];
    // At most WS_MAX_INVALID_PER_SECOND (5) in any second: more would close the connection.
    for (const message of bad.slice(0, 5)) watcher.send(message);
    await watcher.until(() => watcher.errors.length === 5);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    for (const message of bad.slice(5)) watcher.send(message);
    watcher.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await watcher.until(() => watcher.errors.length === bad.length + 1);
    expect(watcher.errors.map((e) => e.code)).toEqual([
      'INVALID_REQUEST',
      'INVALID_REQUEST',
      'INVALID_REQUEST',
      'INVALID_REQUEST',
      'EVENT_NOT_FOUND',
      'INVALID_REQUEST',
      'INVALID_REQUEST',
      'INVALID_REQUEST',
      'INVALID_REQUEST',
    ]);
    watcher.send({ type: 'subscribe', eventId: EVENT });
    await watcher.until(() => watcher.snapshots === 1);
  });

  it('closes a connection that sends an oversized message with 1009', async () => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/ws`);
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    socket.send(JSON.stringify({ type: 'subscribe', eventId: 'x'.repeat(10_000) }));
    expect(await closed).toBe(1009);
    const other = await watch(); // the server keeps serving others
    expect(other.snapshots).toBe(1);
  });

  it('drops a peer that stops answering pings, keeps one that answers', async () => {
    const live = await watch();
    const dead = await watch();
    const clients = server.app.websocketServer.clients;
    const before = clients.size;
    dead.socket.pause(); // reads nothing, so it answers no ping
    const deadline = Date.now() + 3_000;
    while (clients.size === before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(clients.size).toBe(before - 1);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(live.socket.readyState).toBe(WebSocket.OPEN);
    expect(clients.size).toBe(before - 1);
  });

  it('an admin reset sends every subscriber a resync and the empty snapshot', async () => {
    const buyer = await Client.session(server.url);
    await buyer.hold(EVENT, ['U1']);
    const watcher = await watch();
    await watcher.until(() => watcher.seats.get('U1') === 'HELD');
    const admin = new Client(server.url, ADMIN_TOKEN);
    expect((await admin.request('POST', `/api/admin/events/${EVENT}/reset`)).status).toBe(204);
    await watcher.until(() => watcher.resyncs === 1 && watcher.snapshots === 2);
    expect(watcher.view()).toEqual({ held: [], sold: [] });
    expect((await buyer.seats(EVENT)).body.seq).toBe(watcher.seq);
  });

  it('exposes the real-time and domain metrics', async () => {
    const watcher = await watch();
    const buyer = await Client.session(server.url);
    await buyer.hold(EVENT, ['U9']);
    await watcher.until(() => watcher.seats.has('U9'));
    const text = await (
      await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).text();
    expect(text).toMatch(/^ticketmain_ws_clients [1-9]/m);
    expect(text).toMatch(/^ticketmain_ws_frames_sent_total [1-9]/m);
    expect(text).toMatch(/^ticketmain_fanout_lag_seconds_count [1-9]/m);
    expect(text).toMatch(/^ticketmain_holds_total\{status="201"\} [1-9]/m);
    expect(text).toMatch(
      /^ticketmain_http_request_duration_seconds_count\{.*route="\/api\/events\/:eventId\/holds"/m,
    );
  });

  it('never sends a session id', async () => {
    const watcher = await watch();
    const buyers = await Promise.all([Client.session(server.url), Client.session(server.url)]);
    const ids = buyers.map((b) => b.token!.split('.')[0]!);
    await buyers[0]!.hold(EVENT, ['L1']);
    await buyers[1]!.hold(EVENT, ['L2']);
    await buyers[1]!.order(EVENT, ['L2'], 'no-ids');
    await watcher.until(() => watcher.seats.get('L2') === 'SOLD');
    watcher.send({ type: 'resync', eventId: EVENT });
    await watcher.until(() => watcher.snapshots === 2);
    for (const frame of watcher.frames) {
      for (const id of ids) expect(frame).not.toContain(id);
    }
  });
});
