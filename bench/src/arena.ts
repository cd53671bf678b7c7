// The seeded 900-seat demo arena, where the WebSocket scenarios play: its seat ids in layout order
// (neighbours in the list sit side by side), and the admin reset that clears its holds and sales.
import { call, describe, isRecord } from './http.js';

export const ARENA_EVENT_ID = 'arena-demo';

export async function arenaSeatIds(baseUrl: string): Promise<string[]> {
  const reply = await call(baseUrl, 'GET', `/api/events/${ARENA_EVENT_ID}`);
  const seats = isRecord(reply.body) ? reply.body.seats : undefined;
  if (reply.status !== 200 || !Array.isArray(seats)) {
    throw new Error(`reading the arena: ${describe(reply)}`);
  }
  return seats.map((seat: unknown) => {
    const id = isRecord(seat) ? seat.id : undefined;
    if (typeof id !== 'string') throw new Error('an arena seat without an id');
    return id;
  });
}

/** POST /api/admin/events/arena-demo/reset: holds and sales cleared, subscribers resynced. */
export async function resetArena(baseUrl: string, adminToken: string): Promise<void> {
  const reply = await call(baseUrl, 'POST', `/api/admin/events/${ARENA_EVENT_ID}/reset`, {
    token: adminToken,
    timeoutMs: 30_000,
  });
  if (reply.status !== 204) throw new Error(`resetting the arena: ${describe(reply)}`);
}

export function wsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/^http/, 'ws')}/ws`;
}
