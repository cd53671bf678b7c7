// The admission ticker: for every event, draws the pre-queue once sales start and admits the
// next numbers at the queue's rate, told by the hold store whether anything is left to buy.
// Every replica runs it; the store's tick is idempotent, so together they never pass the rate.
import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../events/catalog.js';
import type { ReadyHoldStore } from '../holds/self-healing.js';
import type { Inventory, QueueState, QueueStore } from '../queue/types.js';

/** Told of each queue after its tick, with how many it admitted and its state after (metrics). */
export type TickObserver = (eventId: string, admitted: number, state: QueueState) => void;

/** Where a failing event's tick is reported. */
export type TickLog = Pick<FastifyBaseLogger, 'warn'>;

/**
 * What the hold store's counts say of an event's inventory. Counts unknown (the hold state is
 * being rebuilt): admission goes on, and the next tick knows better.
 */
export function inventoryOf(
  seatCount: number,
  counts: { sold: number; held: number } | null,
): Inventory {
  if (counts === null) return { available: true, soldOut: false };
  return {
    available: counts.sold + counts.held < seatCount,
    soldOut: counts.sold >= seatCount,
  };
}

export async function admit(
  queues: QueueStore,
  holds: ReadyHoldStore,
  catalog: Catalog,
  eventIds: readonly string[],
  observe?: TickObserver,
  log?: TickLog,
): Promise<void> {
  if (eventIds.length === 0) return;
  const counts = await holds.counts([...eventIds]);
  for (const eventId of eventIds) {
    // One event's failure (a script error, an event removed meanwhile) must not hold up the
    // other lines: it is logged, and the next pass tries it again.
    try {
      await admitOne(queues, catalog, eventId, counts.get(eventId) ?? null, observe);
    } catch (err) {
      log?.warn({ err, event: eventId }, 'admission tick failed');
    }
  }
}

async function admitOne(
  queues: QueueStore,
  catalog: Catalog,
  eventId: string,
  counts: { sold: number; held: number } | null,
  observe?: TickObserver,
): Promise<void> {
  const { index } = await catalog.get(eventId);
  const ticked = await queues.tick(eventId, inventoryOf(index.seatCount, counts));
  // Events without a queue cost nothing more.
  if (!ticked.ok || observe === undefined) return;
  const read = await queues.get(eventId);
  if (read.ok) observe(eventId, ticked.admitted, read.queue);
}
