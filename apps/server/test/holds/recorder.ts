// Records the batches a HoldStore publishes for one event, and proves with a fence (a seat
// marked SOLD) that every batch published before it has arrived, for stores that publish async.
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { ChangeBatch, HoldStore, Sale } from '../../src/holds/types.js';

/** Allowed distance between the store's clock (Redis TIME) and this process's clock. */
export const SKEW = 2_000;
/** Prefix of the fence seats, so that assertions on sold seats can leave them out. */
export const FENCE = 'zz-fence.';

/** Sales of `seatIds` to one buyer, as the ledger hands them to restore. */
export function sales(seatIds: string[], sessionId = 'buyer'): Sale[] {
  return seatIds.map((seatId) => ({ seatId, sessionId }));
}

export async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** `STATUS seatId` per change; fails unless every batch is a `changes` batch. */
export function changeList(batches: ChangeBatch[]): string[] {
  return batches.flatMap((batch) => {
    if (batch.kind !== 'changes') throw new Error(`unexpected ${batch.kind} batch`);
    return batch.changes.map((change) => `${change.status} ${change.seatId}`);
  });
}

/** Checks the publishing rules and returns the last seq of the batches. */
export function checkSequence(eventId: string, batches: ChangeBatch[]): number | undefined {
  let last: number | undefined;
  for (const batch of batches) {
    expect(batch.eventId).toBe(eventId);
    expect(Math.abs(batch.time - Date.now())).toBeLessThan(SKEW + 30_000);
    if (batch.kind === 'replaced') {
      last = batch.seq;
      continue;
    }
    expect(batch.changes.length).toBeGreaterThan(0);
    for (const change of batch.changes) {
      if (last !== undefined) expect(change.seq).toBe(last + 1);
      last = change.seq;
    }
  }
  return last;
}

export class Recorder {
  readonly batches: ChangeBatch[] = [];
  private read = 0;
  private fences = 0;
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(
    private readonly store: HoldStore,
    readonly eventId: string,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.store.subscribe(this.eventId, (batch) => {
      this.batches.push(batch);
    });
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** The next batch not yet taken, waiting for it (for calls made while not ready). */
  async next(): Promise<ChangeBatch> {
    const batch = await waitFor(() => this.batches[this.read], 'a batch');
    this.read += 1;
    return batch;
  }

  /** The batches published since the last take, proven complete by a fence batch after them. */
  async take(): Promise<ChangeBatch[]> {
    this.fences += 1;
    const fence = `${FENCE}${this.fences}`;
    expect(await this.store.markSold(this.eventId, [fence], 'buyer')).toEqual({
      ok: true,
      changed: 1,
    });
    const at = await waitFor(() => {
      const index = this.batches.findIndex(
        (batch, i) =>
          i >= this.read && batch.kind === 'changes' && batch.changes[0]?.seatId === fence,
      );
      return index < 0 ? undefined : index;
    }, `fence ${fence}`);
    const fenceBatch = this.batches[at];
    expect(fenceBatch?.kind === 'changes' && fenceBatch.changes.length).toBe(1);
    const taken = this.batches.slice(this.read, at);
    this.read = at + 1;
    return taken;
  }

  /** Every batch so far is numbered without gaps and the last seq is the snapshot's. */
  async verify(): Promise<void> {
    const snapshot = await this.store.snapshot(this.eventId);
    if (!snapshot.ok) {
      expect(this.batches).toEqual([]);
      return;
    }
    await this.take();
    const after = await this.store.snapshot(this.eventId);
    if (!after.ok) throw new Error('event lost its state during the test');
    expect(checkSequence(this.eventId, this.batches)).toBe(after.seq);
  }
}
