// Events on sale: the list with what is left, one event's detail, its seat snapshot, and the
// organiser's create and reset. Routes speak to this service, never to the ledger or the store.
import type {
  CreateEventRequest,
  EventDetail,
  EventRulesInput,
  EventSummary,
  MyHold,
} from '@ticketmain/protocol';
import type { ReadyHoldStore } from '../holds/self-healing.js';
import type { Ledger } from '../ledger/types.js';
import type { HoldService } from '../selection/service.js';
import { toMyHold } from '../selection/service.js';
import { gaShapeOf } from '../domain/venue/layout.js';
import type { EventPosition } from '../holds/types.js';
import { listsJson } from '../realtime/messages.js';
import type { Catalog } from './catalog.js';
import type { PreparedBody } from './prepared.js';

/** The seat lists, pre-serialised, at `position.seq` or later (the replica's mirror). */
export type ListsAt = (position?: EventPosition) => Promise<{ seq: number; json: string }>;

/** Tries at reading `mine` and the mirror's lists at one position before asking the store. */
const SNAPSHOT_ATTEMPTS = 3;

export class EventsService {
  constructor(
    readonly catalog: Catalog,
    private readonly store: ReadyHoldStore,
    private readonly ledger: Ledger,
    private readonly holds: HoldService,
  ) {}

  async list(): Promise<EventSummary[]> {
    const entries = await this.catalog.list();
    const counts = await this.store.counts(entries.map((e) => e.record.id));
    return Promise.all(
      entries.map(async ({ record, detail }) => {
        const stored = counts.get(record.id) ?? null;
        const taken = stored ? stored.sold + stored.held : await this.ledger.soldCount(record.id);
        return {
          id: detail.id,
          name: detail.name,
          venueName: detail.venueName,
          startsAt: detail.startsAt,
          currency: detail.currency,
          seatCount: detail.seatCount,
          availableCount: Math.max(0, detail.seatCount - taken),
        };
      }),
    );
  }

  async detail(eventId: string): Promise<EventDetail> {
    return (await this.catalog.get(eventId)).detail;
  }

  /** The detail as prepared bodies with their ETag, built once per event. */
  prepared(eventId: string): Promise<PreparedBody> {
    return this.catalog.prepared(eventId);
  }

  /**
   * The seat snapshot as JSON text: the lists from the replica's mirror and, with a session,
   * its `mine` read at exactly the lists' sequence number (one state). When changes keep coming
   * between the two reads, the store answers both at once.
   */
  async seats(eventId: string, sessionId: string | undefined, lists: ListsAt): Promise<string> {
    const entry = await this.catalog.get(eventId);
    // A SeatSnapshot around the lists, serialised once per sequence number (realtime/mirror.ts).
    const body = (json: string, mine: MyHold[]) =>
      `{"eventId":${JSON.stringify(eventId)},${json},"mine":${JSON.stringify(mine)}}`;
    if (sessionId === undefined) return body((await lists()).json, []);
    for (let attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
      const mine = await this.holds.mine(eventId, sessionId);
      const at = await lists(mine);
      if (at.seq === mine.seq) return body(at.json, mine.holds);
    }
    const snap = await this.store.snapshot(eventId, sessionId);
    return body(listsJson(snap, gaShapeOf(entry.index)), snap.mine.map(toMyHold));
  }

  async create(request: CreateEventRequest): Promise<EventDetail> {
    return (await this.catalog.create(request)).detail;
  }

  /** Changes the rules given; the event's detail and its prepared copy are rebuilt. */
  async updateRules(eventId: string, rules: EventRulesInput): Promise<EventDetail> {
    return (await this.catalog.updateRules(eventId, rules)).detail;
  }

  /** Clears the event's holds and sales; subscribers are told to take a new snapshot. */
  async reset(eventId: string): Promise<void> {
    await this.catalog.get(eventId);
    await this.ledger.resetEvent(eventId);
    await this.store.clear(eventId);
  }
}
