import { PROTOCOL_VERSION, type ServerMessage } from '@ticketmain/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { change, EVENT_ID, seats, snapshot } from '../testing/fixtures';
import {
  backoffDelay,
  SeatSocket,
  type ConnectionStatus,
  type SeatSocketOptions,
  type WebSocketLike,
} from './seat-socket';

/** A WebSocket that the test drives by hand: open it, push server frames, close it. */
class FakeWebSocket implements WebSocketLike {
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  readonly sent: unknown[] = [];
  closedWith: number | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(code = 1000): void {
    this.closedWith ??= code;
  }

  open(): void {
    this.onopen?.();
  }

  receive(message: ServerMessage | string): void {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }

  serverClose(code: number): void {
    this.closedWith = code;
    this.onclose?.({ code, reason: '' });
  }

  fail(): void {
    this.onerror?.();
    this.onclose?.({ code: 1006, reason: '' });
  }
}

const BACKOFF = { initialMs: 100, maxMs: 1600, factor: 2 };

function setup(options: Partial<SeatSocketOptions> = {}) {
  const sockets: FakeWebSocket[] = [];
  const messages: ServerMessage[] = [];
  const statuses: ConnectionStatus[] = [];
  const socket = new SeatSocket({
    url: 'ws://test/ws',
    eventId: EVENT_ID,
    createSocket: (url) => {
      const ws = new FakeWebSocket(url);
      sockets.push(ws);
      return ws;
    },
    onMessage: (m) => messages.push(m),
    onStatus: (s) => statuses.push(s),
    backoff: BACKOFF,
    random: () => 0, // the shortest jittered delay: half the exponential one
    snapshotTimeoutMs: 5000,
    ...options,
  });
  const last = () => {
    const ws = sockets[sockets.length - 1];
    if (ws === undefined) throw new Error('no socket yet');
    return ws;
  };
  /** Opens the newest connection and answers its subscribe with a snapshot. */
  const goLive = (seq: number) => {
    last().open();
    last().receive(snapshot(seq));
  };
  return { socket, sockets, messages, statuses, last, goLive };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('SeatSocket: subscribing', () => {
  it('subscribes on open and is live once the snapshot arrives', () => {
    const t = setup();
    t.socket.start();
    expect(t.socket.getStatus()).toBe('connecting');
    t.last().open();
    expect(t.last().sent).toEqual([{ type: 'subscribe', eventId: EVENT_ID }]);
    expect(t.statuses).toEqual([]);
    t.last().receive(snapshot(3, ['A1']));
    expect(t.statuses).toEqual(['live']);
    expect(t.messages).toEqual([snapshot(3, ['A1'])]);
  });

  it('forwards deltas in order and ignores other events and malformed frames', () => {
    const t = setup();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    t.socket.start();
    t.goLive(3);
    t.last().receive(seats(change(4, 'A1', 'HELD')));
    t.last().receive({ ...seats(change(1, 'X', 'SOLD')), eventId: 'other' });
    t.last().receive('{not json');
    t.last().receive(JSON.stringify({ type: 'seats', eventId: EVENT_ID, changes: [{ seq: 'x' }] }));
    expect(t.messages.map((m) => m.type)).toEqual(['snapshot', 'seats']);
  });
});

describe('SeatSocket: the waiting room', () => {
  const frame = {
    type: 'queue',
    eventId: EVENT_ID,
    servedThrough: 4,
    waiting: 10,
    admitPerMinute: 60,
    paused: false,
  } as const;

  it('asks for queue frames now and on every new connection, and forwards them', () => {
    const t = setup();
    t.socket.start();
    t.goLive(1);
    t.socket.watchQueue();
    t.socket.watchQueue();
    expect(t.last().sent).toEqual([
      { type: 'subscribe', eventId: EVENT_ID },
      { type: 'queue', eventId: EVENT_ID },
    ]);
    t.last().receive(frame);
    t.last().receive({ ...frame, eventId: 'other' });
    expect(t.messages.map((m) => m.type)).toEqual(['snapshot', 'queue']);

    t.last().serverClose(1012);
    vi.advanceTimersByTime(BACKOFF.maxMs);
    t.last().open();
    expect(t.last().sent).toEqual([
      { type: 'subscribe', eventId: EVENT_ID },
      { type: 'queue', eventId: EVENT_ID },
    ]);
  });

  it('asks on open when told before the connection was open', () => {
    const t = setup();
    t.socket.start();
    t.socket.watchQueue();
    expect(t.last().sent).toEqual([]);
    t.last().open();
    expect(t.last().sent).toEqual([
      { type: 'subscribe', eventId: EVENT_ID },
      { type: 'queue', eventId: EVENT_ID },
    ]);
  });
});

describe('SeatSocket: protocol version', () => {
  it("goes on as usual after a hello of this client's version", () => {
    const t = setup();
    t.socket.start();
    t.last().open();
    t.last().receive({ type: 'hello', protocol: PROTOCOL_VERSION });
    t.last().receive(snapshot(1));
    expect(t.statuses).toEqual(['live']);
    expect(t.messages.map((m) => m.type)).toEqual(['snapshot']);
  });

  it('stops for good, and says outdated, when the server speaks another version', () => {
    const t = setup();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    t.socket.start();
    t.last().open();
    t.last().receive({ type: 'hello', protocol: PROTOCOL_VERSION + 1 });
    t.last().receive(snapshot(1)); // already given up: ignored
    expect(t.statuses).toEqual(['outdated']);
    expect(t.messages).toEqual([]);
    expect(t.last().closedWith).toBe(1000);
    t.socket.reconnectNow();
    vi.advanceTimersByTime(60_000);
    expect(t.sockets).toHaveLength(1);
    expect(t.socket.getStatus()).toBe('outdated');
  });
});

describe('SeatSocket: sequence gaps', () => {
  it('asks for a resync on a gap, once, and resumes after the snapshot', () => {
    const t = setup();
    t.socket.start();
    t.goLive(10);
    t.last().receive(seats(change(11, 'A1', 'HELD')));
    t.last().receive(seats(change(13, 'A2', 'HELD')));
    t.last().receive(seats(change(14, 'A3', 'HELD')));
    const resyncs = () => t.last().sent.filter((m) => (m as { type: string }).type === 'resync');
    expect(resyncs()).toEqual([{ type: 'resync', eventId: EVENT_ID }]);
    t.last().receive(snapshot(14, ['A1', 'A2', 'A3']));
    t.last().receive(seats(change(15, 'A4', 'HELD')));
    expect(resyncs()).toHaveLength(1);
    t.last().receive(seats(change(17, 'B1', 'HELD')));
    expect(resyncs()).toHaveLength(2);
    // Every frame still reaches the reducer, which keeps its own gap check.
    expect(t.messages.filter((m) => m.type === 'seats')).toHaveLength(5);
  });

  it('does not mistake a duplicate or old delta for a gap', () => {
    const t = setup();
    t.socket.start();
    t.goLive(10);
    t.last().receive(seats(change(11, 'A1', 'HELD'), change(12, 'A2', 'HELD')));
    t.last().receive(seats(change(12, 'A2', 'HELD')));
    t.last().receive(seats(change(9, 'A9', 'SOLD'), change(13, 'A3', 'HELD')));
    expect(t.last().sent).toEqual([{ type: 'subscribe', eventId: EVENT_ID }]);
  });

  it('waits for the snapshot after a server resync instead of checking deltas', () => {
    const t = setup();
    t.socket.start();
    t.goLive(10);
    t.last().receive({ type: 'resync', eventId: EVENT_ID });
    t.last().receive(snapshot(0));
    t.last().receive(seats(change(1, 'A1', 'HELD')));
    expect(t.last().sent).toHaveLength(1);
    expect(t.messages.map((m) => m.type)).toEqual(['snapshot', 'resync', 'snapshot', 'seats']);
  });

  it('reconnects when the snapshot it asked for never comes', () => {
    const t = setup();
    t.socket.start();
    t.goLive(1);
    t.last().receive(seats(change(5, 'A1', 'HELD')));
    vi.advanceTimersByTime(5000);
    expect(t.statuses).toEqual(['live', 'reconnecting']);
    vi.advanceTimersByTime(50);
    expect(t.sockets).toHaveLength(2);
  });
});

describe('SeatSocket: reconnecting', () => {
  it('reconnects after a server restart (1012) and resubscribes for a fresh snapshot', () => {
    const t = setup();
    t.socket.start();
    t.goLive(40);
    t.last().serverClose(1012);
    expect(t.statuses).toEqual(['live', 'reconnecting']);
    vi.advanceTimersByTime(49);
    expect(t.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(t.sockets).toHaveLength(2);
    t.goLive(0); // the restarted server's sequence starts again
    expect(t.last().sent).toEqual([{ type: 'subscribe', eventId: EVENT_ID }]);
    expect(t.statuses).toEqual(['live', 'reconnecting', 'live']);
    t.last().receive(seats(change(1, 'A1', 'HELD')));
    expect(t.last().sent).toHaveLength(1); // seq 1 after snapshot 0: no gap
  });

  it('backs off exponentially while the server stays away, then resets once live', () => {
    const t = setup();
    t.socket.start();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const before = t.sockets.length;
      t.last().fail();
      let waited = 0;
      while (t.sockets.length === before) {
        vi.advanceTimersByTime(10);
        waited += 10;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([50, 100, 200, 400, 800, 800]);
    t.goLive(1);
    t.last().serverClose(1012);
    vi.advanceTimersByTime(50);
    expect(t.sockets).toHaveLength(8);
  });

  it('handles error and close of one connection as one drop', () => {
    const t = setup();
    t.socket.start();
    t.goLive(1);
    t.last().fail(); // error, then close
    vi.advanceTimersByTime(1000);
    expect(t.sockets).toHaveLength(2);
    expect(t.statuses).toEqual(['live', 'reconnecting']);
  });

  it('gives up on a connection that never opens', () => {
    const t = setup();
    t.socket.start();
    vi.advanceTimersByTime(5000);
    expect(t.sockets[0]?.closedWith).not.toBeNull();
    vi.advanceTimersByTime(50);
    expect(t.sockets).toHaveLength(2);
  });

  it('reconnects at once when asked, skipping the wait', () => {
    const t = setup({ backoff: { initialMs: 60_000, maxMs: 60_000, factor: 2 } });
    t.socket.start();
    t.last().fail();
    t.socket.reconnectNow();
    expect(t.sockets).toHaveLength(2);
  });

  it('stops for good: closes the socket and never reconnects', () => {
    const t = setup();
    t.socket.start();
    t.goLive(1);
    const ws = t.last();
    t.socket.stop();
    expect(ws.closedWith).toBe(1000);
    ws.serverClose(1006);
    vi.advanceTimersByTime(60_000);
    expect(t.sockets).toHaveLength(1);
  });
});

describe('backoffDelay', () => {
  it('grows by the factor up to the cap, jittered between half and all of it', () => {
    expect(backoffDelay(0, BACKOFF, 0)).toBe(50);
    expect(backoffDelay(0, BACKOFF, 1)).toBe(100);
    expect(backoffDelay(3, BACKOFF, 0.5)).toBe(600);
    expect(backoffDelay(20, BACKOFF, 1)).toBe(1600);
    expect(backoffDelay(20, BACKOFF, 0)).toBe(800);
  });
});
