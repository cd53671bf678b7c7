// Every migration of the ledger, in order: a new one is added here, and the tests that migrate
// an old ledger expect the ones after the point they start from.
export const MIGRATIONS = [
  '0001_init',
  '0002_tickets_reference_their_order',
  '0003_ticket_codes_and_checkin',
  '0004_event_rules',
  '0005_cancellation',
  '0006_queue_entries',
  '0007_outbox_and_webhooks',
  '0008_order_search',
  '0010_waitlist',
];

/** The migrations from `first` on: what a ledger migrated up to just before it still needs. */
export function migrationsFrom(first: string): string[] {
  const at = MIGRATIONS.indexOf(first);
  if (at < 0) throw new Error(`no migration ${first}`);
  return MIGRATIONS.slice(at);
}
