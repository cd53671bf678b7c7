// The events on sale, cached in memory with their seat index: events never change once created,
// so a hold or an order checks its seats without a database round trip.
import type { CreateEventRequest, EventDetail } from '@ticketmain/protocol';
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@ticketmain/protocol';
import { AppError, errors } from '../domain/errors.js';
import { indexLayout, validateLayout, type VenueIndex } from '../domain/venue/layout.js';
import type { EventRecord, Ledger } from '../ledger/types.js';
import { prepare, type PreparedBody } from './prepared.js';

const IDS_REFRESH_MS = 5_000;

export interface CatalogEntry {
  record: EventRecord;
  index: VenueIndex;
  /** The API form of the event, built once. */
  detail: EventDetail;
  /** `detail` serialised and compressed, built on first use (events/prepared.ts). */
  prepared?: Promise<PreparedBody>;
}

export class Catalog {
  private readonly entries = new Map<string, CatalogEntry>();
  private readonly loading = new Map<string, Promise<CatalogEntry>>();
  private knownIds: { at: number; ids: string[] } | undefined;

  constructor(
    private readonly ledger: Ledger,
    /** Called each time an event's detail is serialised and compressed (a metric). */
    private readonly onPrepare: () => void = () => {},
  ) {}

  /** The event's detail as prepared bodies, built once per event however many ask at once. */
  async prepared(eventId: string): Promise<PreparedBody> {
    return this.prepare(await this.get(eventId));
  }

  private prepare(entry: CatalogEntry): Promise<PreparedBody> {
    if (entry.prepared === undefined) {
      this.onPrepare();
      entry.prepared = prepare(entry.detail);
      // A failed build is not remembered: the next request tries again.
      entry.prepared.catch(() => (entry.prepared = undefined));
    }
    return entry.prepared;
  }

  /** The event, or 404 EVENT_NOT_FOUND. */
  async get(eventId: string): Promise<CatalogEntry> {
    const cached = this.entries.get(eventId);
    if (cached !== undefined) return cached;
    // Concurrent first requests for one event share a single load of its layout.
    let loading = this.loading.get(eventId);
    if (loading === undefined) {
      loading = this.load(eventId).finally(() => this.loading.delete(eventId));
      this.loading.set(eventId, loading);
    }
    return loading;
  }

  private async load(eventId: string): Promise<CatalogEntry> {
    const record = await this.ledger.getEvent(eventId);
    if (record === null) throw errors.eventNotFound(eventId);
    return this.remember(record);
  }

  /** Every event, including those another replica created since the last look. */
  async list(): Promise<CatalogEntry[]> {
    const ids = await this.ids();
    const entries = await Promise.all(ids.map((id) => this.get(id)));
    return entries.sort((a, b) => a.record.startsAt.getTime() - b.record.startsAt.getTime());
  }

  /** Ids of every event, re-read from the ledger at most every few seconds. */
  async ids(): Promise<string[]> {
    if (this.knownIds === undefined || Date.now() - this.knownIds.at >= IDS_REFRESH_MS) {
      this.knownIds = { at: Date.now(), ids: await this.ledger.listEventIds() };
    }
    return this.knownIds.ids;
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
    this.knownIds = undefined;
    return this.remember(record);
  }

  /**
   * Creates the event unless it exists; safe when several replicas start at once (the loser of
   * the race finds the winner's event).
   */
  async ensure(request: CreateEventRequest & { id: string }): Promise<CatalogEntry> {
    try {
      return await this.get(request.id);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== ErrorCode.EventNotFound) throw error;
    }
    try {
      return await this.create(request);
    } catch (error) {
      const existing = await this.ledger.getEvent(request.id);
      if (existing === null) throw error;
      return this.remember(existing);
    }
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
    // Serialising a stadium's detail is tens of milliseconds on the event loop: done once, as
    // the event is loaded, rather than when a crowd asks for it.
    setImmediate(() => void this.prepare(entry).catch(() => {}));
    return entry;
  }
}

/** Seats of a request that the venue does not have (UNKNOWN_SEAT). */
export function assertKnownSeats(entry: CatalogEntry, seatIds: string[]): void {
  const { seatById } = entry.index;
  // A loop, not a filter: the common case (every seat known) allocates nothing.
  for (const id of seatIds) {
    if (!seatById.has(id)) throw errors.unknownSeats(seatIds.filter((s) => !seatById.has(s)));
  }
}
