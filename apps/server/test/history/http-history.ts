// Seat calls made over HTTP and recorded as a history: call and return times from one clock
// (performance.now()), the call, and the answer in the model's terms. And random histories of
// sessions, some used from two tabs at once.
import { performance } from 'node:perf_hooks';
import { SEAT_SOLD_MESSAGE } from '../../src/domain/errors.js';
import type { SeatSnapshot } from '@ticketmain/protocol';
import { Client, type Reply } from '../support/client.js';
import {
  ANSWER,
  UNKNOWN,
  type SeatCall,
  type SeatOperation,
  type SeatOutput,
  type SeatView,
} from './seat-model.js';

/** One client of the history: a session (by the model's name for it) from one tab. */
export interface Tab {
  client: number;
  session: string;
  api: Client;
}

export class HistoryRecorder {
  readonly operations: SeatOperation[] = [];
  private orders = 0;

  constructor(readonly eventId: string) {}

  /** Makes the call and records it; a call whose connection failed has an unknown outcome. */
  async run(tab: Tab, call: SeatCall): Promise<SeatOutput> {
    const started = performance.now();
    let reply: Reply<unknown> | undefined;
    try {
      reply = await this.send(tab.api, call);
    } catch (error) {
      // An answer that came but is not JSON is the server's fault, not the network's.
      if (error instanceof SyntaxError) throw error;
    }
    const output = reply === undefined ? UNKNOWN : outputOf(call, reply);
    const ended = output === UNKNOWN ? Infinity : performance.now();
    this.operations.push({ client: tab.client, call: started, return: ended, input: call, output });
    return output;
  }

  private send(api: Client, call: SeatCall): Promise<Reply<unknown>> {
    switch (call.kind) {
      case 'hold':
        return api.hold(this.eventId, [call.seat]);
      case 'release':
        return api.release(this.eventId, call.seat);
      case 'order':
        // A new key each time: a retry (same key) would be a replay, not a call of its own.
        return api.order(this.eventId, [call.seat], `${this.eventId}-${++this.orders}`);
      case 'snapshot':
        return api.seats(this.eventId);
    }
  }
}

/** The answer as the model spells it: a 5xx is an unknown outcome, a snapshot is its views. */
export function outputOf(call: SeatCall, reply: Reply<unknown>): SeatOutput {
  if (reply.status >= 500) return UNKNOWN;
  if (call.kind === 'snapshot' && reply.status === 200) {
    return { views: viewsOf(reply.body as SeatSnapshot, call.seats) };
  }
  const body = reply.body as { code?: unknown; detail?: unknown } | string;
  if (typeof body !== 'object' || typeof body.code !== 'string') return String(reply.status);
  if (body.code !== 'SEAT_UNAVAILABLE') return `${reply.status} ${body.code}`;
  return body.detail === SEAT_SOLD_MESSAGE ? ANSWER.soldAlready : ANSWER.heldByOther;
}

/** Each seat by the lists it is in; a combination no state shows is kept as it is. */
export function viewsOf(body: SeatSnapshot, seats: string[]): Record<string, SeatView> {
  const mine = new Set(body.mine.map((m) => m.seatId));
  const held = new Set(body.held);
  const sold = new Set(body.sold);
  const views: Record<string, SeatView> = {};
  for (const seat of seats) {
    const lists = [mine.has(seat) && 'mine', held.has(seat) && 'held', sold.has(seat) && 'sold'];
    const key = lists.filter((l) => l !== false).join('+');
    views[seat] =
      key === ''
        ? 'AVAILABLE'
        : key === 'mine+held'
          ? 'MINE'
          : key === 'held'
            ? 'HELD'
            : key === 'sold'
              ? 'SOLD'
              : `IN ${key}`;
  }
  return views;
}

/** Sessions and their tabs: the first `twoTabs` sessions have two, each tab on the next URL. */
export async function openTabs(urls: string[], sessions: number, twoTabs: number): Promise<Tab[]> {
  const tabs: Tab[] = [];
  for (let s = 0; s < sessions; s++) {
    const first = await Client.session(urls[tabs.length % urls.length]!);
    const count = s < twoTabs ? 2 : 1;
    for (let t = 0; t < count; t++) {
      const url = urls[tabs.length % urls.length]!;
      tabs.push({ client: tabs.length, session: `s${s}`, api: new Client(url, first.token) });
    }
  }
  return tabs;
}

export interface RandomHistory {
  recorder: HistoryRecorder;
  tabs: Tab[];
  seats: string[];
  operations: number;
  seed: number;
}

/**
 * Every tab makes one call at a time, all tabs at once, until `operations` calls were made:
 * holds, releases, snapshots and a few orders, releases and orders mostly of seats the session
 * believes it holds (its tabs share what they learn), so the two tabs of a session race.
 */
export async function randomHistory(options: RandomHistory): Promise<SeatOperation[]> {
  const { recorder, tabs, seats } = options;
  const random = prng(options.seed);
  const believed = new Map<string, Set<string>>();
  let made = 0;
  const pick = (from: string[]) => from[Math.floor(random() * from.length)]!;
  const choose = (tab: Tab): SeatCall => {
    const mine = [...(believed.get(tab.session) ?? [])];
    const session = tab.session;
    const r = random();
    if (r < 0.25) return { kind: 'snapshot', session, seats };
    let kind: 'hold' | 'release' | 'order' = r < 0.6 ? 'hold' : r < 0.94 ? 'release' : 'order';
    // A session that holds nothing mostly tries to hold something first.
    if (kind !== 'hold' && mine.length === 0 && random() < 0.7) kind = 'hold';
    const seat = kind !== 'hold' && mine.length > 0 && random() < 0.8 ? pick(mine) : pick(seats);
    return { kind, session, seat };
  };
  await Promise.all(
    tabs.map(async (tab) => {
      const own = believed.get(tab.session) ?? new Set<string>();
      believed.set(tab.session, own);
      while (made < options.operations) {
        made += 1;
        const call = choose(tab);
        learn(own, call, await recorder.run(tab, call));
      }
    }),
  );
  return recorder.operations;
}

function learn(believed: Set<string>, call: SeatCall, output: SeatOutput): void {
  if (call.kind === 'snapshot') {
    if (typeof output === 'string') return;
    believed.clear();
    for (const [seat, view] of Object.entries(output.views))
      if (view === 'MINE') believed.add(seat);
  } else if (call.kind === 'hold' && output === ANSWER.created) believed.add(call.seat);
  else if (output !== ANSWER.inCheckout && output !== UNKNOWN) believed.delete(call.seat);
}

/** mulberry32: a small seeded generator, so each history's choices can be told apart. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many calls got each answer, by kind: `hold 201`, `order 409 SEAT_NOT_HELD`, ... */
export function answerCounts(history: SeatOperation[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const op of history) {
    const answer = typeof op.output === 'string' ? op.output : '200';
    const key = `${op.input.kind} ${answer}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Map([...counts].sort(([a], [b]) => (a < b ? -1 : 1)));
}
