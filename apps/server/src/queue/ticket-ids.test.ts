// Ticket ids cut from a pool of random bytes: 32 hex digits each, never repeated across refills.
import { describe, expect, it } from 'vitest';
import { TicketIds } from './ticket-ids.js';

describe('TicketIds', () => {
  it('answers distinct 16-byte hex ids across several refills of the pool', () => {
    const ids = new TicketIds();
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const id = ids.next();
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(2_000);
  });
});
