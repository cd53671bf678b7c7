// The fan-out subscribers, inside the subscriber process: N `ws` connections to one event, each
// reading its frames cheaply (frames.ts: kind, time, first and last seq, no JSON.parse), counting
// the changes it got within a measurement window, and noticing gaps and resyncs. A few sampled
// connections parse every frame and keep the full view, to compare with the truth at the end.
import WebSocket from 'ws';
import { isSeatChange } from '@ticketmain/protocol';
import { wsUrl } from '../arena.js';
import { sleep } from '../util.js';
import { parseFull, readerStats, readFrame } from './frames.js';
import { LatencyHistogram } from './histogram.js';
import type {
  CloseReply,
  CollectCommand,
  CollectReply,
  ConnectCommand,
  ConnectReply,
  MarkCommand,
  SampleView,
} from './protocol.js';

interface Subscriber {
  index: number;
  ws: WebSocket;
  eventId: string;
  /** The last seq this subscriber is sure of (its snapshot's, then each frame's last). */
  lastSeq: number;
  /** Asked for (or told of) a resync: frames are ignored until the snapshot. */
  awaiting: boolean;
  /** Within the window: changes after the window's first seq, gaps, resyncs. */
  changes: number;
  gaps: number;
  resyncs: number;
  closed: boolean;
  view: Map<string, string> | undefined;
  viewSeq: number;
  /** Resolves the connect of this subscriber on its first snapshot. */
  ready: (() => void) | undefined;
}

const POLL_MS = 20;
const SHOWN = 5;

export class SubscriberPool {
  private readonly subscribers: Subscriber[] = [];
  private readonly latency = new LatencyHistogram();
  private measuring = false;
  private fromSeq = 0;
  private markedAt = 0;
  private cpuAtMark = process.cpuUsage();
  private slowAtMark = 0;
  private closing = false;
  private totals = emptyTotals();

  constructor(private readonly fdLimit: number) {}

  async connect(cmd: ConnectCommand): Promise<ConnectReply> {
    const started = Date.now();
    const wanted = cmd.total - this.subscribers.length;
    if (cmd.total + 100 > this.fdLimit) {
      throw new Error(
        `${cmd.total} subscribers need more open files than this process may have (${this.fdLimit}); ` +
          'raise the hard limit (ulimit -Hn) for the bench',
      );
    }
    const url = wsUrl(cmd.url);
    const deadline = started + cmd.timeoutMs;
    const failures: string[] = [];
    const base = this.subscribers.length;
    let failed = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < wanted && Date.now() < deadline) {
        const index = base + next++;
        await this.open(url, cmd.eventId, index, index < cmd.sampled, deadline).catch(
          (err: unknown) => {
            failed++;
            if (failures.length < SHOWN) failures.push(String(err));
          },
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(cmd.concurrency, wanted) }, worker));
    failed += Math.max(0, wanted - next);
    // Connections opened concurrently are pushed as their snapshots arrive: index order.
    this.subscribers.sort((a, b) => a.index - b.index);
    return {
      type: 'connect',
      open: this.subscribers.filter((s) => !s.closed).length,
      failed,
      failures,
      ms: Date.now() - started,
      fdLimit: this.fdLimit,
    };
  }

  private open(
    url: string,
    eventId: string,
    index: number,
    keepView: boolean,
    deadline: number,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, {
        perMessageDeflate: false,
        skipUTF8Validation: true,
        handshakeTimeout: Math.max(1_000, deadline - Date.now()),
      });
      const sub: Subscriber = {
        index,
        ws,
        eventId,
        lastSeq: -1,
        awaiting: true,
        changes: 0,
        gaps: 0,
        resyncs: 0,
        closed: false,
        view: keepView ? new Map() : undefined,
        viewSeq: -1,
        ready: undefined,
      };
      let settled = false;
      let opened = false;
      const settle = (err?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        sub.ready = undefined;
        if (err === undefined) {
          opened = true;
          this.subscribers.push(sub);
          resolve();
        } else {
          ws.terminate();
          reject(err);
        }
      };
      const timer = setTimeout(
        () => settle(new Error('no snapshot in time')),
        Math.max(1_000, deadline - Date.now()),
      );
      sub.ready = () => settle();
      ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', eventId })));
      ws.on('message', (data) => this.onMessage(sub, toBuffer(data)));
      ws.on('error', (err) => {
        if (opened) this.totals.errors++;
        settle(err);
      });
      ws.on('close', () => {
        if (opened && !this.closing && !sub.closed) this.totals.closed++;
        sub.closed = true;
        settle(new Error('closed before its snapshot'));
      });
    });
  }

  private onMessage(sub: Subscriber, data: Buffer): void {
    const now = Date.now();
    const head = readFrame(data);
    if (sub.view !== undefined) applyToView(sub, data);
    switch (head.kind) {
      case 'seats': {
        if (this.measuring) {
          this.totals.frames++;
          this.totals.bytes += data.length;
          if (head.time === undefined) this.totals.framesWithoutTime++;
          else this.latency.add(now - head.time);
        }
        if (sub.awaiting) return;
        if (head.firstSeq !== sub.lastSeq + 1) {
          sub.gaps++;
          this.requestResync(sub);
          return;
        }
        const from = Math.max(head.firstSeq, this.fromSeq + 1);
        if (head.lastSeq >= from) sub.changes += head.lastSeq - from + 1;
        sub.lastSeq = head.lastSeq;
        return;
      }
      case 'snapshot':
        sub.lastSeq = head.seq;
        sub.awaiting = false;
        sub.ready?.();
        return;
      case 'resync':
        sub.resyncs++;
        sub.awaiting = true;
        return;
      case 'hello':
      case 'viewers':
        // The server's protocol version (first on every connection), the event's viewer count.
        return;
      default:
        this.totals.errors++;
    }
  }

  private requestResync(sub: Subscriber): void {
    sub.awaiting = true;
    if (sub.ws.readyState === WebSocket.OPEN) {
      sub.ws.send(JSON.stringify({ type: 'resync', eventId: sub.eventId }));
    }
  }

  mark(cmd: MarkCommand): { type: 'mark' } {
    for (const sub of this.subscribers) {
      sub.changes = 0;
      sub.gaps = 0;
      sub.resyncs = 0;
    }
    this.totals = emptyTotals();
    this.latency.reset();
    this.fromSeq = cmd.fromSeq;
    this.measuring = true;
    this.markedAt = Date.now();
    this.cpuAtMark = process.cpuUsage();
    this.slowAtMark = readerStats.slowReads;
    return { type: 'mark' };
  }

  async collect(cmd: CollectCommand): Promise<CollectReply> {
    const waitFrom = Date.now();
    const deadline = waitFrom + cmd.timeoutMs;
    const behind = (): number =>
      this.subscribers.filter((s) => !s.closed && (s.awaiting || s.lastSeq < cmd.toSeq)).length;
    while (behind() > 0 && Date.now() < deadline) await sleep(POLL_MS);
    const waitedMs = Date.now() - waitFrom;
    this.measuring = false;
    const cpu = process.cpuUsage(this.cpuAtMark);
    const expected = cmd.toSeq - cmd.fromSeq;
    const live = this.subscribers.filter((s) => !s.closed);
    const isComplete = (s: Subscriber): boolean =>
      s.changes === expected && s.lastSeq === cmd.toSeq && s.gaps === 0 && s.resyncs === 0;
    let changesMin = live.length === 0 ? 0 : Infinity;
    let changesMax = 0;
    for (const s of live) {
      changesMin = Math.min(changesMin, s.changes);
      changesMax = Math.max(changesMax, s.changes);
    }
    return {
      type: 'collect',
      subscribers: this.subscribers.length,
      reached: live.filter((s) => s.lastSeq >= cmd.toSeq && !s.awaiting).length,
      complete: live.filter(isComplete).length,
      expected,
      changesMin,
      changesMax,
      frames: this.totals.frames,
      bytes: this.totals.bytes,
      gaps: sum(this.subscribers.map((s) => s.gaps)),
      resyncs: sum(this.subscribers.map((s) => s.resyncs)),
      errors: this.totals.errors,
      closed: this.totals.closed,
      slowReads: readerStats.slowReads - this.slowAtMark,
      framesWithoutTime: this.totals.framesWithoutTime,
      latency: Uint32Array.from(this.latency.counts),
      cpuMs: (cpu.user + cpu.system) / 1000,
      windowMs: Date.now() - this.markedAt,
      waitedMs,
      silentlyBehind: live.filter(
        (s) => s.lastSeq < cmd.toSeq && !s.awaiting && s.gaps === 0 && s.resyncs === 0,
      ).length,
      samples: this.subscribers.filter((s) => s.view !== undefined && !s.closed).map(sampleOf),
      incomplete: live
        .filter((s) => !isComplete(s))
        .slice(0, SHOWN)
        .map((s) => ({
          index: s.index,
          changes: s.changes,
          lastSeq: s.lastSeq,
          gaps: s.gaps,
          resyncs: s.resyncs,
        })),
    };
  }

  async close(): Promise<CloseReply> {
    this.closing = true;
    this.measuring = false;
    const closed = this.subscribers.length;
    for (const sub of this.subscribers) sub.ws.terminate();
    this.subscribers.length = 0;
    await sleep(100);
    this.closing = false;
    return { type: 'close', closed };
  }
}

/** The sampled connections' full view: every frame parsed and applied in seq order. */
function applyToView(sub: Subscriber, data: Buffer): void {
  const view = sub.view;
  if (view === undefined) return;
  const message = parseFull(data.toString('utf8'));
  if (message.type === 'snapshot') {
    view.clear();
    for (const seat of message.held) view.set(seat, 'HELD');
    for (const seat of message.sold) view.set(seat, 'SOLD');
    sub.viewSeq = message.seq;
  } else if (message.type === 'seats' && !sub.awaiting) {
    for (const change of message.changes) {
      // A change out of order leaves the view as it was: the cheap reader asks for a resync.
      if (change.seq !== sub.viewSeq + 1) return;
      sub.viewSeq = change.seq;
      if (!isSeatChange(change)) continue; // a GA count: this view holds seats only
      if (change.status === 'AVAILABLE') view.delete(change.seatId);
      else view.set(change.seatId, change.status);
    }
  }
}

function sampleOf(sub: Subscriber): SampleView {
  const held: string[] = [];
  const sold: string[] = [];
  for (const [seat, status] of sub.view ?? []) (status === 'SOLD' ? sold : held).push(seat);
  return { index: sub.index, seq: sub.viewSeq, held, sold };
}

function emptyTotals() {
  return { frames: 0, bytes: 0, errors: 0, closed: 0, framesWithoutTime: 0 };
}

export function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function sum(values: readonly number[]): number {
  let n = 0;
  for (const v of values) n += v;
  return n;
}
