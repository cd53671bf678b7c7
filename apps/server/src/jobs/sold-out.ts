// Reports an event selling out (event.sold_out) once per selling out. The hold store's counts
// (one call for every event) prompt it; the ledger decides, in the statement that writes the
// outbox row, so replicas that notice together report it once.
import type { Catalog } from '../events/catalog.js';
import type { ReadyHoldStore } from '../holds/self-healing.js';
import type { OutboxSql } from '../ledger/outbox-sql.js';
import { inventoryOf } from './admission.js';

export class SoldOutWatch {
  /** Events this replica knows to be marked sold out in the ledger. */
  private readonly marked = new Set<string>();

  constructor(
    private readonly holds: ReadyHoldStore,
    private readonly catalog: Catalog,
    private readonly outbox: OutboxSql,
  ) {}

  async check(eventIds: readonly string[]): Promise<void> {
    if (eventIds.length === 0) return;
    const counts = await this.holds.counts([...eventIds]);
    for (const eventId of eventIds) {
      const known = counts.get(eventId) ?? null;
      if (known === null) continue;
      const { index } = await this.catalog.get(eventId);
      const { soldOut } = inventoryOf(index.seatCount, known);
      if (soldOut && !this.marked.has(eventId)) {
        await this.outbox.markSoldOut(eventId);
        this.marked.add(eventId);
      } else if (!soldOut && this.marked.has(eventId)) {
        await this.outbox.clearSoldOut(eventId);
        this.marked.delete(eventId);
      }
    }
  }
}
