// The launch buyers, inside the subscriber process: each buyer subscribes over WebSocket, keeps its
// own view of the seats (snapshot + changes, a byte per seat), and once every buyer is in, tries
// to hold 1–4 seats side by side that its view shows as available, retries on 409 with others,
// and buys them with an Idempotency-Key; until the event is sold out or the time bound. Every
// other buyer asks for best available instead (POST /holds/best); on NO_SEATS_AVAILABLE it takes
// seats apart, then fewer, as a buyer at the end of a sale would. HTTP goes
// through one keep-alive agent with as many connections as buyers may act at once: a buyer takes
// a turn first and picks its seats then, so that it picks from its view as it is when the request
// leaves, not as it was before a wait in a queue.
import { performance } from 'node:perf_hooks';
import { BestHoldResponse, conforms, isSeatChange, Order, Problem } from '@ticketmain/protocol';
import WebSocket from 'ws';
import { wsUrl } from '../arena.js';
import { json, keepAliveAgent, send, type HttpReply, type HttpRequest } from '../keepalive.js';
import { Fifo, randomInt, seededRandom, sleep } from '../util.js';
import { parseFull, readFrame } from './frames.js';
import { LatencyHistogram } from './histogram.js';
import { toBuffer } from './pool.js';
import type { LaunchCommand, LaunchOrder, LaunchReply, ViewGroup } from './protocol.js';

const AVAILABLE = 0;
const HELD = 1;
const SOLD = 2;
const STATUS: Record<string, number> = { AVAILABLE, HELD, SOLD };
/** A buyer with nothing to pick waits this long for its view to change before looking again. */
const IDLE_WAIT_MS = 250;
const MAX_VIEW_GROUPS = 20;
const SHOWN = 5;
const CACHE_LIMIT = 1_024;

interface Buyer {
  index: number;
  token: string;
  ws: WebSocket | undefined;
  view: Uint8Array;
  sold: number;
  lastSeq: number;
  awaiting: boolean;
  /** Wakes the buyer's loop when its view changes. */
  wake: (() => void) | undefined;
  /** How many seats this buyer wants (1–4). */
  wants: number;
  /** Asks the server for the best seats instead of picking from its view. */
  best: boolean;
  /** Best available: still insists on seats side by side. */
  adjacent: boolean;
}

/** A frame decoded once for every buyer that receives it: they all get the same bytes. */
interface Decoded {
  seats: Int32Array;
  statuses: Uint8Array;
}

export class Launch {
  private readonly seatIndex: Map<string, number>;
  private readonly seatCount: number;
  private readonly buyers: Buyer[] = [];
  private readonly agent;
  /** Buyers acting at once: one per HTTP connection. */
  private readonly turns;
  private readonly random;
  private readonly seatsCache = new Map<string, Decoded>();
  private readonly snapshotCache = new Map<number, Uint8Array>();
  private readonly holdLatency = new LatencyHistogram();
  private readonly orderLatency = new LatencyHistogram();
  private readonly fanoutLatency = new LatencyHistogram();
  private readonly orders: LaunchOrder[] = [];
  private readonly statuses: Record<string, number> = {};
  private readonly errorSamples: string[] = [];
  private readonly counts = {
    holdAttempts: 0,
    holdConflicts: 0,
    bestHolds: 0,
    bestNoSeats: 0,
    orderConflicts: 0,
    releases: 0,
    errors: 0,
    frames: 0,
    gaps: 0,
    resyncs: 0,
  };
  private seatsSold = 0;
  private startedAt = 0;
  private lastOrderAt = 0;
  private deadline = 0;

  constructor(
    private readonly cmd: LaunchCommand,
    private readonly fdLimit: number,
  ) {
    this.seatIndex = new Map(cmd.seatIds.map((id, i) => [id, i]));
    this.seatCount = cmd.seatIds.length;
    this.agent = keepAliveAgent(cmd.httpConnections);
    this.turns = new Turns(cmd.httpConnections);
    this.random = seededRandom(cmd.seed);
  }

  async run(): Promise<LaunchReply> {
    if (this.cmd.tokens.length + 100 > this.fdLimit) {
      throw new Error(`${this.cmd.tokens.length} buyers need more open files than ${this.fdLimit}`);
    }
    const cpuBefore = process.cpuUsage();
    const connectStarted = Date.now();
    const failures = await this.connectAll();
    const connectMs = Date.now() - connectStarted;

    this.startedAt = performance.now();
    this.deadline = this.startedAt + this.cmd.durationS * 1000;
    await Promise.all(this.buyers.map((b) => this.buy(b)));
    const buyingMs = performance.now() - this.startedAt;
    const settleBy = performance.now() + this.cmd.settleMs;
    while (performance.now() < settleBy && this.buyers.some((b) => !this.settled(b))) {
      await sleep(20);
    }
    const cpu = process.cpuUsage(cpuBefore);
    for (const b of this.buyers) b.ws?.terminate();
    this.agent.destroy();
    const soldOut = this.seatsSold === this.seatCount;
    return {
      type: 'launch',
      buyers: this.cmd.tokens.length,
      connected: this.buyers.length,
      connectFailures: failures,
      connectMs,
      sellOutMs: soldOut ? this.lastOrderAt - this.startedAt : null,
      soldOut,
      buyingMs,
      orders: this.orders,
      ...this.counts,
      errorSamples: this.errorSamples,
      statuses: this.statuses,
      holdLatency: this.holdLatency.counts,
      orderLatency: this.orderLatency.counts,
      fanoutLatency: this.fanoutLatency.counts,
      ...this.viewGroups(),
      viewsSoldOut: this.buyers.filter((b) => b.sold === this.seatCount).length,
      cpuMs: (cpu.user + cpu.system) / 1000,
      fdLimit: this.fdLimit,
    };
  }

  private settled(b: Buyer): boolean {
    return b.sold === this.seatCount || b.ws === undefined;
  }

  /** Opens every buyer's socket with bounded concurrency; resolves when all have a snapshot. */
  private async connectAll(): Promise<string[]> {
    const url = wsUrl(this.cmd.url);
    const failures: string[] = [];
    const deadline = Date.now() + 60_000;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < this.cmd.tokens.length && Date.now() < deadline) {
        const index = next++;
        const buyer: Buyer = {
          index,
          token: this.cmd.tokens[index] ?? '',
          ws: undefined,
          view: new Uint8Array(this.seatCount),
          sold: 0,
          lastSeq: -1,
          awaiting: true,
          wake: undefined,
          wants: 1 + randomInt(this.random, 4),
          best: index % 2 === 1,
          adjacent: true,
        };
        await this.open(url, buyer, deadline).then(
          () => this.buyers.push(buyer),
          (err: unknown) => {
            if (failures.length < SHOWN) failures.push(String(err));
          },
        );
      }
    };
    await Promise.all(Array.from({ length: this.cmd.connectConcurrency }, worker));
    return failures;
  }

  private open(url: string, buyer: Buyer, deadline: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error('no snapshot in time'));
      }, deadline - Date.now());
      ws.on('open', () =>
        ws.send(JSON.stringify({ type: 'subscribe', eventId: this.cmd.eventId })),
      );
      ws.on('message', (data) => {
        this.onMessage(buyer, toBuffer(data));
        if (buyer.ws === undefined && !buyer.awaiting) {
          buyer.ws = ws;
          clearTimeout(timer);
          resolve();
        }
      });
      ws.on('error', (err) => {
        if (buyer.ws === undefined) {
          clearTimeout(timer);
          reject(err);
        }
      });
      ws.on('close', () => {
        if (buyer.ws === undefined) {
          clearTimeout(timer);
          reject(new Error('closed before its snapshot'));
        }
        buyer.ws = undefined;
      });
    });
  }

  private onMessage(b: Buyer, data: Buffer): void {
    const now = Date.now();
    const head = readFrame(data);
    if (head.kind === 'snapshot') {
      const template = this.decodeSnapshot(head.seq, data);
      b.view.set(template);
      b.sold = countSold(template);
      b.lastSeq = head.seq;
      b.awaiting = false;
      this.wake(b);
      return;
    }
    if (head.kind === 'resync') {
      this.counts.resyncs++;
      b.awaiting = true;
      return;
    }
    // The server's protocol version, first on every connection: no seat in it.
    if (head.kind === 'hello') return;
    if (head.kind !== 'seats') return;
    this.counts.frames++;
    if (head.time !== undefined) this.fanoutLatency.add(now - head.time);
    if (b.awaiting) return;
    if (head.firstSeq !== b.lastSeq + 1) {
      this.counts.gaps++;
      b.awaiting = true;
      b.ws?.send(JSON.stringify({ type: 'resync', eventId: this.cmd.eventId }));
      return;
    }
    const decoded = this.decodeSeats(head.firstSeq, head.lastSeq, data);
    for (let i = 0; i < decoded.seats.length; i++) {
      const seat = decoded.seats[i] ?? -1;
      const status = decoded.statuses[i] ?? AVAILABLE;
      if (seat < 0) continue;
      const before = b.view[seat];
      if (before === SOLD) b.sold--;
      if (status === SOLD) b.sold++;
      b.view[seat] = status;
    }
    b.lastSeq = head.lastSeq;
    this.wake(b);
  }

  private wake(b: Buyer): void {
    const wake = b.wake;
    b.wake = undefined;
    wake?.();
  }

  /** Seq numbers name changes uniquely, so a frame's seq range names its content. */
  private decodeSeats(first: number, last: number, data: Buffer): Decoded {
    const key = `${first}-${last}`;
    let decoded = this.seatsCache.get(key);
    if (decoded === undefined) {
      const message = parseFull(data.toString('utf8'));
      const changes = message.type === 'seats' ? message.changes : [];
      decoded = {
        // An area change (a GA count) names no seat: -1, as an unknown seat.
        seats: Int32Array.from(changes, (c) =>
          isSeatChange(c) ? (this.seatIndex.get(c.seatId) ?? -1) : -1,
        ),
        statuses: Uint8Array.from(changes, (c) =>
          isSeatChange(c) ? (STATUS[c.status] ?? AVAILABLE) : AVAILABLE,
        ),
      };
      if (this.seatsCache.size >= CACHE_LIMIT) this.seatsCache.clear();
      this.seatsCache.set(key, decoded);
    }
    return decoded;
  }

  private decodeSnapshot(seq: number, data: Buffer): Uint8Array {
    let template = this.snapshotCache.get(seq);
    if (template === undefined) {
      template = new Uint8Array(this.seatCount);
      const message = parseFull(data.toString('utf8'));
      if (message.type === 'snapshot') {
        for (const s of message.held) template[this.seatIndex.get(s) ?? -1] = HELD;
        for (const s of message.sold) template[this.seatIndex.get(s) ?? -1] = SOLD;
      }
      if (this.snapshotCache.size >= CACHE_LIMIT) this.snapshotCache.clear();
      this.snapshotCache.set(seq, template);
    }
    return template;
  }

  /** One buyer: pick, hold, buy; retry on conflict; stop once bought or sold out (in its view). */
  private async buy(b: Buyer): Promise<void> {
    const refused = new Set<number>();
    const attempt = { n: 0 };
    while (performance.now() < this.deadline && b.ws !== undefined) {
      if (b.sold === this.seatCount) return;
      await this.turns.acquire();
      let outcome: 'bought' | 'none' | 'retry';
      try {
        outcome = await this.attempt(b, refused, attempt);
      } finally {
        this.turns.release();
      }
      if (outcome === 'bought') return;
      if (outcome === 'none') {
        refused.clear();
        await this.changeOf(b);
      }
    }
  }

  /** One turn of a buyer: pick from its view now, hold, and buy if the hold succeeded. */
  private async attempt(
    b: Buyer,
    refused: Set<number>,
    attempt: { n: number },
  ): Promise<'bought' | 'none' | 'retry'> {
    if (b.best) return this.attemptBest(b, attempt);
    const picked = this.pick(b, refused);
    if (picked.length === 0) return 'none';
    const seatIds = picked.map((i) => this.cmd.seatIds[i] ?? '');
    attempt.n++;
    this.counts.holdAttempts++;
    const hold = await this.call(this.holdLatency, {
      method: 'POST',
      path: `/api/events/${this.cmd.eventId}/holds`,
      token: b.token,
      body: { seatIds },
    });
    if (hold.status === 409) {
      this.counts.holdConflicts++;
      for (const s of conflictSeats(hold.body)) refused.add(this.seatIndex.get(s) ?? -1);
      return 'retry';
    }
    if (hold.status !== 201) {
      this.error('hold', hold);
      await sleep(100);
      return 'retry';
    }
    const bought = await this.order(b, seatIds, `launch-${b.index}-${attempt.n}`);
    return bought ? 'bought' : 'retry';
  }

  /** One turn of a best-available buyer: the server picks and holds, the buyer buys. */
  private async attemptBest(
    b: Buyer,
    attempt: { n: number },
  ): Promise<'bought' | 'none' | 'retry'> {
    attempt.n++;
    this.counts.holdAttempts++;
    this.counts.bestHolds++;
    const hold = await this.call(this.holdLatency, {
      method: 'POST',
      path: `/api/events/${this.cmd.eventId}/holds/best`,
      token: b.token,
      body: { quantity: b.wants, adjacent: b.adjacent },
    });
    if (hold.status === 409) {
      this.counts.bestNoSeats++;
      // Nothing matches now: seats apart, then fewer; with one seat, wait for seats to come back.
      if (b.adjacent && b.wants > 1) b.adjacent = false;
      else if (b.wants > 1) b.wants--;
      else return 'none';
      return 'retry';
    }
    const reply = hold.status === 201 ? json(hold.body) : undefined;
    if (!conforms(BestHoldResponse, reply)) {
      this.error('best hold', hold);
      await sleep(100);
      return 'retry';
    }
    const seatIds = reply.holds.map((h) => h.seatId);
    const bought = await this.order(b, seatIds, `launch-${b.index}-${attempt.n}`);
    return bought ? 'bought' : 'retry';
  }

  /** Buys held seats; on failure puts them back so that the event can still sell out. */
  private async order(b: Buyer, seatIds: string[], key: string): Promise<boolean> {
    const reply = await this.call(this.orderLatency, {
      method: 'POST',
      path: `/api/events/${this.cmd.eventId}/orders`,
      token: b.token,
      headers: { 'idempotency-key': key },
      body: { seatIds },
    });
    const order = reply.status === 201 ? json(reply.body) : undefined;
    if (conforms(Order, order)) {
      this.orders.push({ orderId: order.orderId, seatIds });
      this.seatsSold += seatIds.length;
      this.lastOrderAt = performance.now();
      return true;
    }
    if (reply.status === 409) this.counts.orderConflicts++;
    else this.error('order', reply);
    for (const seatId of seatIds) {
      this.counts.releases++;
      await this.call(undefined, {
        method: 'DELETE',
        path: `/api/events/${this.cmd.eventId}/holds/${encodeURIComponent(seatId)}`,
        token: b.token,
      });
    }
    return false;
  }

  private async call(latency: LatencyHistogram | undefined, req: HttpRequest): Promise<HttpReply> {
    const reply = await send(this.agent, this.cmd.url, req);
    this.statuses[reply.status] = (this.statuses[reply.status] ?? 0) + 1;
    if (reply.status !== 0) latency?.add(reply.ms);
    return reply;
  }

  private error(what: string, reply: HttpReply): void {
    this.counts.errors++;
    if (this.errorSamples.length < SHOWN) {
      this.errorSamples.push(`${what}: ${reply.status || reply.error} ${reply.body.slice(0, 200)}`);
    }
  }

  /** Up to `wants` seats side by side (in layout order) that the buyer sees as available. */
  private pick(b: Buyer, refused: ReadonlySet<number>): number[] {
    const picked: number[] = [];
    const start = randomInt(this.random, this.seatCount);
    for (let k = 0; k < this.seatCount && picked.length < b.wants; k++) {
      const seat = (start + k) % this.seatCount;
      if (b.view[seat] === AVAILABLE && !refused.has(seat)) picked.push(seat);
      else if (picked.length > 0) break;
    }
    return picked;
  }

  private changeOf(b: Buyer): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, IDLE_WAIT_MS);
      b.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** The buyers' final views, grouped: identical views are sent once with their count. */
  private viewGroups(): { views: ViewGroup[]; distinctViews: number } {
    const groups = new Map<string, { buyers: number; view: Uint8Array }>();
    for (const b of this.buyers) {
      const key = Buffer.from(b.view.buffer, b.view.byteOffset, b.view.length).toString('latin1');
      const group = groups.get(key);
      if (group === undefined) groups.set(key, { buyers: 1, view: b.view });
      else group.buyers++;
    }
    const views = [...groups.values()]
      .sort((a, b) => b.buyers - a.buyers)
      .slice(0, MAX_VIEW_GROUPS)
      .map(({ buyers, view }) => {
        const held: string[] = [];
        const sold: string[] = [];
        view.forEach((status, i) => {
          const id = this.cmd.seatIds[i] ?? '';
          if (status === HELD) held.push(id);
          else if (status === SOLD) sold.push(id);
        });
        return { buyers, held, sold };
      });
    return { views, distinctViews: groups.size };
  }
}

function countSold(view: Uint8Array): number {
  let n = 0;
  for (const status of view) if (status === SOLD) n++;
  return n;
}

/** The `seats` of a 409 problem: the seats taken by others. */
function conflictSeats(body: string): readonly string[] {
  const problem = json(body);
  return conforms(Problem, problem) ? (problem.seats ?? []) : [];
}

/** A FIFO semaphore: at most `size` holders at once, the others wait in arrival order. */
class Turns {
  private free: number;
  private readonly waiting = new Fifo<() => void>();

  constructor(size: number) {
    this.free = size;
  }

  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.free++;
    else next();
  }
}
