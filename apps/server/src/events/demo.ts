// The demo events seeded on a first start, so a newcomer has something to open: the arena on
// sale, and the same arena behind a waiting room whose sales start a couple of minutes after the
// server does, so the pre-queue, its draw and admission can be watched from the start.
import { DEMO_EVENT, demoArena } from '../domain/venue/arena.js';
import type { QueueService } from '../queue/service.js';
import type { Catalog } from './catalog.js';

export const QUEUE_DEMO_EVENT = {
  id: 'arena-queue',
  name: 'Ticketmain Live — The Waiting Room',
  venueName: DEMO_EVENT.venueName,
  startsAt: '2030-09-19T19:30:00.000Z',
  currency: DEMO_EVENT.currency,
} as const;

/** How long after it is armed the demo queue's sales start: time to join and see the draw. */
export const DEMO_QUEUE_LEAD_MS = 2 * 60_000;
export const DEMO_QUEUE_ADMIT_PER_MINUTE = 60;

/** Creates the demo events when there is no event at all (safe when replicas start together). */
export async function seedDemo(catalog: Catalog): Promise<void> {
  if ((await catalog.list()).length === 0) {
    await catalog.ensure({ ...DEMO_EVENT, venue: demoArena() });
    await catalog.ensure({ ...QUEUE_DEMO_EVENT, venue: demoArena() });
  }
}

/**
 * Gives the queue demo its waiting room when it has none: opens now, sales in DEMO_QUEUE_LEAD_MS.
 * At each start, since the in-process queue store does not outlive its process.
 */
export async function armDemoQueue(catalog: Catalog, queues: QueueService): Promise<void> {
  const { id } = QUEUE_DEMO_EVENT;
  if (!(await catalog.ids()).includes(id)) return;
  if ((await queues.store.get(id)).ok) return;
  await queues.rearm(id, demoQueueSettings());
}

/** The admin reset of the queue demo starts its waiting room again: new seed, times, no entries. */
export async function resetDemoQueue(eventId: string, queues: QueueService): Promise<void> {
  if (eventId === QUEUE_DEMO_EVENT.id) await queues.rearm(eventId, demoQueueSettings());
}

function demoQueueSettings(now = Date.now()) {
  return {
    opensAt: new Date(now).toISOString(),
    salesStartAt: new Date(now + DEMO_QUEUE_LEAD_MS).toISOString(),
    admitPerMinute: DEMO_QUEUE_ADMIT_PER_MINUTE,
  };
}
