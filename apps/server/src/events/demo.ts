// The demo event seeded on a first start, so a newcomer has something to open.
import { DEMO_EVENT, demoArena } from '../domain/venue/arena.js';
import type { Catalog } from './catalog.js';

/** Creates the demo arena when there is no event at all (safe when replicas start together). */
export async function seedDemo(catalog: Catalog): Promise<void> {
  if ((await catalog.list()).length === 0) {
    await catalog.ensure({ ...DEMO_EVENT, venue: demoArena() });
  }
}
