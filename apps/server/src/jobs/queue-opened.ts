// Reports a waiting room opening (queue.opened): the queue opens at a time, not in a transaction
// of ours, so every replica looks each second and the ledger's mark (one row per event and
// opening time) lets one of them write the outbox row.
import type { OutboxSql } from '../ledger/outbox-sql.js';
import type { QueueStore } from '../queue/types.js';

export class QueueOpenedWatch {
  /** `eventId opensAt` pairs this replica has seen marked. */
  private readonly marked = new Set<string>();

  constructor(
    private readonly queues: QueueStore,
    private readonly outbox: OutboxSql,
    private readonly now: () => number = Date.now,
  ) {}

  async check(eventIds: readonly string[]): Promise<void> {
    for (const eventId of eventIds) {
      const outcome = await this.queues.get(eventId);
      if (!outcome.ok) continue;
      const { opensAt } = outcome.queue;
      const key = `${eventId} ${opensAt}`;
      if (opensAt > this.now() || this.marked.has(key)) continue;
      await this.outbox.markQueueOpened(eventId, new Date(opensAt));
      this.marked.add(key);
    }
  }
}
