// The Redis HoldStore: every state change is one Lua script, atomic on the event's cluster slot,
// which numbers its changes and publishes them on the event's shard channel (../README.md).
import { randomUUID } from 'node:crypto';
import { Keys } from '../keys.js';
import type {
  ChangeBatch,
  ChangeOutcome,
  CheckoutOutcome,
  EventPosition,
  ExtendOutcome,
  HandOverArgs,
  HandOverOutcome,
  HeldSeat,
  HoldOutcome,
  HoldRequestArgs,
  HoldsOutcome,
  HoldStore,
  ReleaseOutcome,
  Sale,
  SnapshotOutcome,
} from '../types.js';
import {
  expectDone,
  toChangeOutcome,
  toCheckoutOutcome,
  toCounts,
  toExtendOutcome,
  toHandOverOutcome,
  toHoldOutcome,
  toReleaseOutcome,
  toSequence,
  toSnapshotOutcome,
} from './outcomes.js';
import { pingAll, subscriberFor, type RedisClient } from './connect.js';
import { HoldScripts } from './scripts.js';
import { ChannelSubscriptions } from './subscriptions.js';

export interface RedisHoldStoreOptions {
  /**
   * One Redis or a Cluster (every script touches one event's slot). Owned by the caller, who
   * also closes it; expected with `enableAutoPipelining: true`.
   */
  redis: RedisClient;
  /** Put before every key, e.g. to isolate tests or tenants on one Redis. */
  prefix?: string;
  /** Seats per script call in restore and markSold, so no script runs long or unpacks much. */
  chunkSize?: number;
  /** ping() answers false after this long instead of waiting for the client's retries. */
  pingTimeoutMs?: number;
  /** Where an exception thrown by a subscribe listener goes (default: console.error). */
  onListenerError?: (error: unknown) => void;
}

const DEFAULT_CHUNK_SIZE = 5_000;
const DEFAULT_PING_TIMEOUT_MS = 1_000;

/** Splits a list into chunks; an empty list is one empty chunk, so the script still runs. */
function chunked<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks.length > 0 ? chunks : [[]];
}

export class RedisHoldStore implements HoldStore {
  private readonly redis: RedisClient;
  private readonly keys: Keys;
  private readonly scripts: HoldScripts;
  private readonly subscriptions: ChannelSubscriptions;
  private readonly chunkSize: number;
  private readonly pingTimeoutMs: number;

  constructor(options: RedisHoldStoreOptions) {
    this.redis = options.redis;
    this.keys = new Keys(options.prefix);
    this.scripts = new HoldScripts(options.redis);
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.pingTimeoutMs = options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS;
    this.subscriptions = new ChannelSubscriptions(
      () => subscriberFor(options.redis),
      options.onListenerError ?? ((error) => console.error('hold-store listener failed', error)),
    );
  }

  async hold(args: HoldRequestArgs): Promise<HoldOutcome> {
    const reply = await this.scripts.holdSeats(this.keys.event(args.eventId), args);
    return toHoldOutcome(reply);
  }

  async release(eventId: string, sessionId: string, seatId: string): Promise<ReleaseOutcome> {
    return toReleaseOutcome(
      await this.scripts.release(this.keys.event(eventId), sessionId, seatId),
    );
  }

  async beginCheckout(
    eventId: string,
    sessionId: string,
    seatIds: string[],
    windowMs: number,
    attempt: string = randomUUID(),
  ): Promise<CheckoutOutcome> {
    const k = this.keys.event(eventId);
    const reply = await this.scripts.beginCheckout(k, sessionId, seatIds, windowMs, attempt);
    return toCheckoutOutcome(reply);
  }

  async extend(
    eventId: string,
    sessionId: string,
    ttlMs: number,
    address?: string,
  ): Promise<ExtendOutcome> {
    const k = this.keys.event(eventId);
    return toExtendOutcome(await this.scripts.extendHolds(k, sessionId, ttlMs, address));
  }

  async abortCheckout(
    eventId: string,
    sessionId: string,
    previous: HeldSeat[],
  ): Promise<ChangeOutcome> {
    const pairs = previous.flatMap(({ seatId, expiresAt }) => [seatId, expiresAt]);
    const k = this.keys.event(eventId);
    return toChangeOutcome(await this.scripts.abortCheckout(k, sessionId, pairs));
  }

  async markSold(eventId: string, seatIds: string[], buyer: string): Promise<ChangeOutcome> {
    const k = this.keys.event(eventId);
    let changed = 0;
    for (const chunk of chunked(seatIds, this.chunkSize)) {
      const outcome = toChangeOutcome(await this.scripts.markSold(k, chunk, buyer));
      if (!outcome.ok) return outcome;
      changed += outcome.changed;
    }
    return { ok: true, changed };
  }

  async unmarkSold(eventId: string, seatIds: string[], buyer?: string): Promise<ChangeOutcome> {
    const k = this.keys.event(eventId);
    let changed = 0;
    for (const chunk of chunked(seatIds, this.chunkSize)) {
      const outcome = toChangeOutcome(await this.scripts.unmarkSold(k, chunk, buyer));
      if (!outcome.ok) return outcome;
      changed += outcome.changed;
    }
    return { ok: true, changed };
  }

  async handOver(args: HandOverArgs): Promise<HandOverOutcome> {
    const k = this.keys.event(args.eventId);
    const seatIds = [...new Set(args.seatIds)];
    const reply = await this.scripts.handOver(k, args.from, args.to ?? '', args.ttlMs, seatIds);
    return toHandOverOutcome(reply);
  }

  async expire(eventId: string, limit: number): Promise<ChangeOutcome> {
    return toChangeOutcome(await this.scripts.expire(this.keys.event(eventId), limit));
  }

  async snapshot(eventId: string, sessionId?: string): Promise<SnapshotOutcome> {
    return toSnapshotOutcome(await this.scripts.snapshot(this.keys.event(eventId), sessionId));
  }

  async holdsOf(eventId: string, sessionId: string): Promise<HoldsOutcome> {
    const k = this.keys.event(eventId);
    const outcome = toSnapshotOutcome(await this.scripts.snapshot(k, sessionId, false));
    return outcome.ok
      ? { ok: true, holds: outcome.mine, seq: outcome.seq, epoch: outcome.epoch }
      : outcome;
  }

  async sequence(eventId: string): Promise<EventPosition | null> {
    return toSequence(await this.scripts.sequence(this.keys.event(eventId)));
  }

  async counts(eventIds: string[]): Promise<Map<string, { sold: number; held: number } | null>> {
    // One call per event, not one pipeline: a Cluster pipeline must stay on one node, while
    // auto-pipelining already sends the calls of this tick as one batch per node.
    const replies = await Promise.all(
      eventIds.map((eventId) => this.scripts.counts(this.keys.event(eventId))),
    );
    return new Map(eventIds.map((eventId, i) => [eventId, toCounts(replies[i])]));
  }

  /** Chunked: only the last call marks the event ready and publishes the reset (restore-7.lua). */
  async restore(eventId: string, sales: Sale[]): Promise<void> {
    const k = this.keys.event(eventId);
    const chunks = chunked(sales, this.chunkSize);
    for (const [i, chunk] of chunks.entries()) {
      const pairs = chunk.flatMap(({ seatId, sessionId }) => [seatId, sessionId]);
      expectDone(await this.scripts.restore(k, pairs, i === chunks.length - 1));
    }
  }

  /** A lost state is left alone (clear-7.lua): the next call answers NOT_READY, then restore. */
  async clear(eventId: string): Promise<void> {
    expectDone(await this.scripts.clear(this.keys.event(eventId)), true);
  }

  subscribe(eventId: string, listener: (batch: ChangeBatch) => void): Promise<() => Promise<void>> {
    return this.subscriptions.add(this.keys.event(eventId).channel, eventId, listener);
  }

  async ping(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.pingTimeoutMs);
    });
    const answered = pingAll(this.redis).catch(() => false);
    try {
      return await Promise.race([answered, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the subscriber connection this store opened; the client passed in stays open. */
  async close(): Promise<void> {
    await this.subscriptions.close();
  }
}
