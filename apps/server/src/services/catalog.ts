// The events on sale, cached in memory with their seat index: events never change once created,
// so a hold or an order checks its seats without a database round trip.
import type { CreateEventRequest, EventDetail } from '@ticketmain/protocol';
import { randomUUID } from 'node:crypto';
import { errors } from '../domain/errors.js';
import { indexLayout, validateLayout, type VenueIndex } from '../domain/venue/layout.js';
import type { EventRecord, Ledger } from '../ledger/types.js';

export interface CatalogEntry {
  record: EventRecord;
  index: VenueIndex;
  /** The API form of the event, built once. */
  detail: EventDetail;
}

export class Catalog {
  private readonly entries = new Map<string, CatalogEntry>();
  private loadedAll = false;

  constructor(private readonly ledger: Ledger) {}

  /** The event, or 404 EVENT_NOT_FOUND. */
  async get(eventId: string): Promise<CatalogEntry> {
    const cached = this.entries.get(eventId);
    if (cached !== undefined) return cached;
    const record = await this.ledger.getEvent(eventId);
    if (record === null) throw errors.eventNotFound(eventId);
    return this.remember(record);
  }

  async list(): Promise<CatalogEntry[]> {
    if (!this.loadedAll) {
      for (const record of await this.ledger.listEvents()) {
        if (!this.entries.has(record.id)) this.remember(record);
      }
      this.loadedAll = true;
    }
    return [...this.entries.values()].sort(
      (a, b) => a.record.startsAt.getTime() - b.record.startsAt.getTime(),
    );
  }

  /** Ids of every event, for the sweeper and the reconciler. */
  async ids(): Promise<string[]> {
    return (await this.list()).map((entry) => entry.record.id);
  }

  async create(request: CreateEventRequest): Promise<CatalogEntry> {
    const problems = validateLayout(request.venue);
    if (problems.length > 0) throw errors.invalid(`Invalid venue layout: ${problems.join('; ')}`);
    const id = request.id ?? randomUUID();
    if ((await this.ledger.getEvent(id)) !== null)
      throw errors.invalid(`Event ${id} already exists`);
    const record: EventRecord = {
      id,
      name: request.name,
      venue: request.venue,
      startsAt: new Date(request.startsAt),
      currency: request.currency,
      seatCount: indexLayout(request.venue).seatCount,
    };
    await this.ledger.createEvent(record);
    return this.remember(record);
  }

  private remember(record: EventRecord): CatalogEntry {
    const index = indexLayout(record.venue);
    const entry: CatalogEntry = {
      record,
      index,
      detail: {
        id: record.id,
        name: record.name,
        venueName: record.venue.name,
        startsAt: record.startsAt.toISOString(),
        currency: record.currency,
        seatCount: index.seatCount,
        stage: record.venue.stage,
        sections: index.sections,
        seats: index.seats,
      },
    };
    this.entries.set(record.id, entry);
    return entry;
  }
}

/** Seats of a request that the venue does not have (UNKNOWN_SEAT). */
export function assertKnownSeats(entry: CatalogEntry, seatIds: string[]): void {
  const unknown = seatIds.filter((id) => !entry.index.seatById.has(id));
  if (unknown.length > 0) throw errors.unknownSeats(unknown);
}
