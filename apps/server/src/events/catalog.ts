// The events on sale, cached in memory with their seat index, so a hold or an order checks its
// seats without a database round trip. Only an event's rules and its waiting room's settings
// change after creation: each change takes a new version in the ledger, which every replica's
// catalog polls for (refresh).
import type { CreateEventRequest, EventDetail, EventRulesInput, Queue } from '@ticketmain/protocol';
import { randomUUID } from 'node:crypto';
import { DEFAULT_RULES, ErrorCode } from '@ticketmain/protocol';
import { buildBestIndex, type BestIndex } from '../domain/best-seats.js';
import { AppError, errors } from '../domain/errors.js';
import {
  indexLayout,
  lookupSeat,
  validateLayout,
  type VenueIndex,
} from '../domain/venue/layout.js';
import type { EventRecord, Ledger } from '../ledger/types.js';
import { prepare, type PreparedBody } from './prepared.js';

const IDS_REFRESH_MS = 5_000;
/** How stale a replica's rules may be: the versions are read again at most this often. */
export const VERSIONS_REFRESH_MS = 2_000;

/** The waiting room's public settings of an event, or null (queue/service.ts queueView). */
export type QueueOf = (eventId: string) => Promise<Queue | null>;

export interface CatalogEntry {
  record: EventRecord;
  index: VenueIndex;
  /** The API form of the event, built once. */
  detail: EventDetail;
  /** `detail` serialised and compressed, built on first use (events/prepared.ts). */
  prepared?: Promise<PreparedBody>;
  /** The seats arranged for best available, built on first use (bestIndexOf). */
  best?: BestIndex;
}

/** The event's seats arranged for best available, built once per loaded entry. */
export function bestIndexOf(entry: CatalogEntry): BestIndex {
  entry.best ??= buildBestIndex(entry.index.seatById, entry.index.focus);
  return entry.best;
}

export class Catalog {
  private readonly entries = new Map<string, CatalogEntry>();
  private readonly loading = new Map<string, Promise<CatalogEntry>>();
  private knownIds: { at: number; ids: string[] } | undefined;
  private versionsReadAt = Date.now();
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly ledger: Ledger,
    /** Called each time an event's detail is serialised and compressed (a metric). */
    private readonly onPrepare: () => void = () => {},
    private readonly refreshMs = VERSIONS_REFRESH_MS,
    /** Read after the event's record, so that a newer version always comes with its queue. */
    private readonly queueOf: QueueOf = async () => null,
  ) {}

  /**
   * Reloads every cached event whose version in the ledger is newer (its rules were changed,
   * maybe by another replica). Runs by itself as events are asked for, at most every refreshMs.
   */
  refresh(): Promise<void> {
    this.refreshing ??= this.reloadChanged().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async reloadChanged(): Promise<void> {
    this.versionsReadAt = Date.now();
    for (const { id, version } of await this.ledger.eventVersions()) {
      const cached = this.entries.get(id);
      if (cached === undefined || cached.record.version >= version) continue;
      const record = await this.ledger.getEvent(id);
      // A lagging read replica may still give the old version: the next refresh tries again.
      if (record !== null && record.version > cached.record.version) {
        this.remember(record, await this.queueOf(id));
      }
    }
  }

  private refreshWhenDue(): void {
    if (this.refreshing !== undefined || Date.now() - this.versionsReadAt < this.refreshMs) return;
    this.refresh().catch(() => {});
  }

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
    this.refreshWhenDue();
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
    return this.remember(record, await this.queueOf(eventId));
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
      rules: { ...DEFAULT_RULES, ...request.rules },
      version: 1,
    };
    await this.ledger.createEvent(record);
    this.knownIds = undefined;
    return this.remember(record, await this.queueOf(id));
  }

  /** Changes the rules given (PATCH); the event is rebuilt, its prepared detail with it. */
  async updateRules(eventId: string, rules: EventRulesInput): Promise<CatalogEntry> {
    await this.get(eventId);
    const record = await this.ledger.updateRules(eventId, rules);
    if (record === null) throw errors.eventNotFound(eventId);
    return this.remember(record, await this.queueOf(eventId));
  }

  /**
   * The event's waiting room was created or changed (settings, rate, pause): the event takes a
   * new version, so every replica reloads its detail with the queue's settings within
   * refreshMs, and this one at once.
   */
  async queueChanged(eventId: string): Promise<CatalogEntry> {
    return this.updateRules(eventId, {});
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
      return this.remember(existing, await this.queueOf(request.id));
    }
  }

  private remember(record: EventRecord, queue: Queue | null): CatalogEntry {
    const previous = this.entries.get(record.id);
    // A slow load must not put back rules older than those a refresh has already brought.
    if (previous !== undefined && previous.record.version >= record.version) return previous;
    // Only the rules change after creation: the seat index is kept.
    const index = previous?.index ?? indexLayout(record.venue);
    const entry: CatalogEntry = {
      record,
      index,
      best: previous?.best,
      detail: {
        id: record.id,
        name: record.name,
        venueName: record.venue.name,
        startsAt: record.startsAt.toISOString(),
        currency: record.currency,
        seatCount: index.seatCount,
        rules: record.rules,
        queue,
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

/** Seats of a request that the venue does not have (UNKNOWN_SEAT); GA place ids are seats. */
export function assertKnownSeats(entry: CatalogEntry, seatIds: string[]): void {
  const { index } = entry;
  const known = (id: string) => lookupSeat(index, id) !== undefined;
  // A loop, not a filter: the common case (every seat known) allocates nothing.
  for (const id of seatIds) {
    if (!known(id)) throw errors.unknownSeats(seatIds.filter((s) => !known(s)));
  }
}
