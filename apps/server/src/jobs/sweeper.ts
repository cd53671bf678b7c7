// The expiry sweeper: releases the holds whose time is up, in every event, so their release is
// published like any other change. The store's expire call is idempotent: any replica may run it.
import type { ReadyHoldStore } from '../holds/self-healing.js';

/** Holds released per event per sweep; the rest wait for the next sweep. */
const SWEEP_BATCH = 1_000;

export async function sweep(store: ReadyHoldStore, eventIds: readonly string[]): Promise<void> {
  for (const eventId of eventIds) await store.expire(eventId, SWEEP_BATCH);
}
