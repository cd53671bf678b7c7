// The hold store the services use: a backing store (Redis or in process) whose lost event state is
// rebuilt from the ledger before any answer is given, so NOT_READY never leaves this module.
import { errors } from '../domain/errors.js';
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
  NotReady,
  ReleaseOutcome,
  Sale,
  SnapshotOutcome,
} from './types.js';

/** An outcome of a store whose state is always there. */
export type Ready<T> = Exclude<T, NotReady>;

/** The contract of HoldStore with every answer given from a ready state. */
export interface ReadyHoldStore extends HoldStore {
  hold(args: HoldRequestArgs): Promise<Ready<HoldOutcome>>;
  release(eventId: string, sessionId: string, seatId: string): Promise<Ready<ReleaseOutcome>>;
  beginCheckout(
    eventId: string,
    sessionId: string,
    seatIds: string[],
    windowMs: number,
    attempt?: string,
  ): Promise<Ready<CheckoutOutcome>>;
  extend(
    eventId: string,
    sessionId: string,
    ttlMs: number,
    address?: string,
  ): Promise<Ready<ExtendOutcome>>;
  abortCheckout(
    eventId: string,
    sessionId: string,
    previous: HeldSeat[],
  ): Promise<Ready<ChangeOutcome>>;
  markSold(eventId: string, seatIds: string[], buyer: string): Promise<Ready<ChangeOutcome>>;
  unmarkSold(eventId: string, seatIds: string[], buyer?: string): Promise<Ready<ChangeOutcome>>;
  handOver(args: HandOverArgs): Promise<Ready<HandOverOutcome>>;
  expire(eventId: string, limit: number): Promise<Ready<ChangeOutcome>>;
  snapshot(eventId: string, sessionId?: string): Promise<Ready<SnapshotOutcome>>;
  holdsOf(eventId: string, sessionId: string): Promise<Ready<HoldsOutcome>>;
  sequence(eventId: string): Promise<EventPosition>;
}

/** Rebuilds an event's state in the backing store from the ledger (the reconciler's restore). */
export type Rebuild = (eventId: string) => Promise<void>;

/** Rebuilds before giving up: a state lost again at once means the backing store is unwell. */
const ATTEMPTS = 3;

function isNotReady(outcome: unknown): outcome is NotReady {
  return (outcome as Partial<NotReady> | null)?.reason === 'NOT_READY';
}

export class SelfHealingHoldStore implements ReadyHoldStore {
  constructor(
    /** The backing store, whose answers may be NOT_READY. */
    readonly inner: HoldStore,
    private readonly rebuild: Rebuild,
  ) {}

  hold(args: HoldRequestArgs): Promise<Ready<HoldOutcome>> {
    return this.heal(args.eventId, () => this.inner.hold(args));
  }

  release(eventId: string, sessionId: string, seatId: string): Promise<Ready<ReleaseOutcome>> {
    return this.heal(eventId, () => this.inner.release(eventId, sessionId, seatId));
  }

  beginCheckout(
    eventId: string,
    sessionId: string,
    seatIds: string[],
    windowMs: number,
    attempt?: string,
  ): Promise<Ready<CheckoutOutcome>> {
    return this.heal(eventId, () =>
      this.inner.beginCheckout(eventId, sessionId, seatIds, windowMs, attempt),
    );
  }

  extend(
    eventId: string,
    sessionId: string,
    ttlMs: number,
    address?: string,
  ): Promise<Ready<ExtendOutcome>> {
    return this.heal(eventId, () => this.inner.extend(eventId, sessionId, ttlMs, address));
  }

  abortCheckout(
    eventId: string,
    sessionId: string,
    previous: HeldSeat[],
  ): Promise<Ready<ChangeOutcome>> {
    return this.heal(eventId, () => this.inner.abortCheckout(eventId, sessionId, previous));
  }

  markSold(eventId: string, seatIds: string[], buyer: string): Promise<Ready<ChangeOutcome>> {
    return this.heal(eventId, () => this.inner.markSold(eventId, seatIds, buyer));
  }

  unmarkSold(eventId: string, seatIds: string[], buyer?: string): Promise<Ready<ChangeOutcome>> {
    return this.heal(eventId, () => this.inner.unmarkSold(eventId, seatIds, buyer));
  }

  handOver(args: HandOverArgs): Promise<Ready<HandOverOutcome>> {
    return this.heal(args.eventId, () => this.inner.handOver(args));
  }

  expire(eventId: string, limit: number): Promise<Ready<ChangeOutcome>> {
    return this.heal(eventId, () => this.inner.expire(eventId, limit));
  }

  snapshot(eventId: string, sessionId?: string): Promise<Ready<SnapshotOutcome>> {
    return this.heal(eventId, () => this.inner.snapshot(eventId, sessionId));
  }

  holdsOf(eventId: string, sessionId: string): Promise<Ready<HoldsOutcome>> {
    return this.heal(eventId, () => this.inner.holdsOf(eventId, sessionId));
  }

  async sequence(eventId: string): Promise<EventPosition> {
    const position = await this.heal(eventId, async () => {
      const found = await this.inner.sequence(eventId);
      return found === null ? ({ ok: false, reason: 'NOT_READY' } as const) : found;
    });
    return position;
  }

  /** As the backing store answers: null for an event that is not ready (the reconciler asks). */
  counts(eventIds: string[]): Promise<Map<string, { sold: number; held: number } | null>> {
    return this.inner.counts(eventIds);
  }

  restore(eventId: string, sales: Sale[]): Promise<void> {
    return this.inner.restore(eventId, sales);
  }

  /** An event that is not ready has nothing to clear; its next call rebuilds it. */
  clear(eventId: string): Promise<void> {
    return this.inner.clear(eventId);
  }

  subscribe(eventId: string, listener: (batch: ChangeBatch) => void): Promise<() => Promise<void>> {
    return this.inner.subscribe(eventId, listener);
  }

  ping(): Promise<boolean> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /**
   * Runs a call of one event; when the event's state is missing it is rebuilt from the ledger
   * first and the call runs again, so no answer is ever given from a lost state.
   */
  private async heal<T>(eventId: string, call: () => Promise<T | NotReady>): Promise<Ready<T>> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const outcome = await call();
      if (!isNotReady(outcome)) return outcome as Ready<T>;
      await this.rebuild(eventId);
    }
    throw errors.unavailable('The seat state is being rebuilt; try again shortly');
  }
}
