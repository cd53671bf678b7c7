// A seeded storm of holds, releases and orders from many buyers, shared by the multi-replica
// real-time tests (single Redis and Redis Cluster).
import type { Client } from './client.js';

/** 40 random holds (60%), releases (30%) and orders (10%) per buyer; counts by HTTP status. */
export async function storm(
  buyers: Client[],
  events: string[],
  seats: string[],
): Promise<Map<number, number>> {
  let random = 42;
  const next = (n: number) => (random = (random * 1103515245 + 12345) % 2 ** 31) % n;
  const statuses = new Map<number, number>();
  await Promise.all(
    buyers.map(async (buyer, b) => {
      for (let i = 0; i < 40; i++) {
        const event = events[next(events.length)]!;
        const seat = seats[next(seats.length)]!;
        const op = next(10);
        const reply =
          op < 6
            ? await buyer.hold(event, [seat])
            : op < 9
              ? await buyer.release(event, seat)
              : await buyer.order(event, [seat], `storm-${b}-${i}`);
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}
