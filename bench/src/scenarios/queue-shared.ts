// What the two waiting-room scenarios share: an event of their own (the arena's layout, so the
// other scenarios' arena stays without a queue), its waiting room, and the joins.
import { demoArena } from '@ticketmain/server/venue';
import { seatedSections } from '@ticketmain/protocol';
import type { SessionCreated } from '@ticketmain/client';
import { clientOf, rethrowAs, type ApiTarget } from '../api.js';
import { createSessions } from '../sessions.js';
import type { BenchContext } from '../scenario.js';

const at = (ms: number) => new Date(ms).toISOString();

/** Creates `eventId` with the arena's 900 seats and a waiting room whose sales start far off. */
export async function queuedArena(
  server: ApiTarget,
  eventId: string,
  admitPerMinute: number,
): Promise<{ seatIds: string[]; opensAt: number }> {
  const api = clientOf(server, { timeoutMs: 60_000 });
  const venue = demoArena();
  await api
    .createEvent({
      id: eventId,
      name: `Bench ${eventId}`,
      venue,
      startsAt: at(Date.now() + 30 * 86_400_000),
      currency: 'USD',
    })
    .catch(rethrowAs(`creating ${eventId}`));
  const opensAt = Date.now() - 1_000;
  await api
    .configureQueue(eventId, {
      opensAt: at(opensAt),
      salesStartAt: at(Date.now() + 3_600_000),
      admitPerMinute,
    })
    .catch(rethrowAs(`configuring the waiting room of ${eventId}`));
  const seatIds = seatedSections(venue).flatMap((s) =>
    s.rows.flatMap((r) => r.seats.map((x) => x.id)),
  );
  return { seatIds, opensAt };
}

/** Moves the start of sales to `inMs` from now (allowed before sales: the seed and line stay). */
export async function startSalesIn(
  server: ApiTarget,
  eventId: string,
  opensAt: number,
  admitPerMinute: number,
  inMs: number,
): Promise<number> {
  const salesStartAt = Date.now() + inMs;
  await clientOf(server)
    .configureQueue(eventId, {
      opensAt: at(opensAt),
      salesStartAt: at(salesStartAt),
      admitPerMinute,
    })
    .catch(rethrowAs(`starting the sales of ${eventId}`));
  return salesStartAt;
}

/** The bench's sessions, and more minted when a scenario needs more than the 10,000. */
export async function enoughSessions(
  ctx: BenchContext,
  count: number,
): Promise<readonly SessionCreated[]> {
  if (ctx.sessions.length >= count) return ctx.sessions.slice(0, count);
  const more = await createSessions(ctx.server, count - ctx.sessions.length, 300_000);
  return [...ctx.sessions, ...more];
}
