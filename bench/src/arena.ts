// The seeded 900-seat demo arena, where the WebSocket scenarios play: its seat ids in layout order
// (neighbours in the list sit side by side), and the admin reset that clears its holds and sales.
import { clientOf, rethrowAs, type ApiTarget } from './api.js';

export const ARENA_EVENT_ID = 'arena-demo';

const RESET_TIMEOUT_MS = 30_000;

export async function arenaSeatIds(server: ApiTarget): Promise<string[]> {
  const api = clientOf(server);
  const event = await api.getEvent(ARENA_EVENT_ID).catch(rethrowAs('reading the arena'));
  return event.seats.map((seat) => seat.id);
}

/** POST /api/admin/events/arena-demo/reset: holds and sales cleared, subscribers resynced. */
export async function resetArena(server: ApiTarget): Promise<void> {
  const api = clientOf(server, { timeoutMs: RESET_TIMEOUT_MS });
  await api.resetEvent(ARENA_EVENT_ID).catch(rethrowAs('resetting the arena'));
}

export function wsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/^http/, 'ws')}/ws`;
}
