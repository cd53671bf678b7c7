// The waiting room as the routes see it: settings checked, proofs of work checked, store outcomes
// turned into the API's shapes or the catalogue's refusals. Numbers and admission live in the
// store; the rules of the draw and of an entry's status in domain/.
import { randomBytes } from 'node:crypto';
import type {
  Queue,
  QueueAudit,
  QueueEntry,
  QueuePatchRequest,
  QueueSettingsRequest,
} from '@ticketmain/protocol';
import { QUEUE_DEFAULT_ADMISSION_SECONDS } from '@ticketmain/protocol';
import { standing } from '../domain/admission.js';
import { proofBits } from '../domain/draw.js';
import { errors } from '../domain/errors.js';
import type { Catalog } from '../events/catalog.js';
import { TicketIds } from './ticket-ids.js';
import type {
  EntryRecord,
  JoinLimit,
  QueueOutcome,
  QueueSettings,
  QueueState,
  QueueStore,
} from './types.js';

const SEED_BYTES = 32;

const iso = (ms: number) => new Date(ms).toISOString();

export function queueView(state: QueueState): Queue {
  return {
    opensAt: iso(state.opensAt),
    salesStartAt: iso(state.salesStartAt),
    admitPerMinute: state.admitPerMinute,
    admissionSeconds: state.admissionSeconds,
    powBits: state.powBits,
    paused: state.paused,
    seedCommitment: state.seedCommitment,
  };
}

/** Entries not admitted yet: the pre-queue and the numbers past servedThrough; 0 once sold out. */
export function waitingOf(state: QueueState): number {
  return state.soldOut ? 0 : Math.max(0, state.joined - state.servedThrough);
}

export function entryView(entry: EntryRecord, state: QueueState, now: number): QueueEntry {
  // The facts named one by one: a spread of the entry and the whole state was a join's hot spot.
  const facts = {
    number: entry.number,
    admittedUntil: entry.admittedUntil,
    servedThrough: state.servedThrough,
    admitPerMinute: state.admitPerMinute,
    soldOut: state.soldOut,
  };
  const { status, etaSeconds } = standing(facts, now);
  return {
    status,
    ticketId: entry.ticketId,
    number: entry.number,
    servedThrough: state.servedThrough,
    etaSeconds,
    admittedUntil: entry.admittedUntil === null ? null : iso(entry.admittedUntil),
  };
}

function settingsOf(request: QueueSettingsRequest): QueueSettings {
  const opensAt = Date.parse(request.opensAt);
  const salesStartAt = Date.parse(request.salesStartAt);
  if (opensAt > salesStartAt) throw errors.invalid('opensAt must not be after salesStartAt');
  return {
    opensAt,
    salesStartAt,
    admitPerMinute: request.admitPerMinute,
    admissionSeconds: request.admissionSeconds ?? QUEUE_DEFAULT_ADMISSION_SECONDS,
    powBits: request.powBits ?? 0,
  };
}

export interface QueueServiceOptions {
  /** Told of each refused join, by its code (a metric). */
  onJoinRefused?: (reason: string) => void;
  /** Joins one session may make of one queue in any window; absent: no limit. */
  joinLimit?: JoinLimit;
}

export class QueueService {
  /** Public ids of entries: random, unrelated to the session. */
  private readonly ticketIds = new TicketIds();

  constructor(
    readonly store: QueueStore,
    private readonly catalog: Catalog,
    private readonly options: QueueServiceOptions = {},
  ) {}

  /** PUT: creates the queue or replaces its settings before sales start. */
  async configure(eventId: string, request: QueueSettingsRequest): Promise<Queue> {
    await this.catalog.get(eventId);
    const seed = randomBytes(SEED_BYTES).toString('hex');
    const outcome = await this.store.configure(eventId, settingsOf(request), seed);
    if (!outcome.ok) throw errors.queueStarted();
    // The event's detail shows the queue's settings: every replica reloads it.
    await this.catalog.queueChanged(eventId);
    return queueView(outcome.queue);
  }

  /** Starts the queue again whole, at any time: a new seed, no entries (a demo's reset). */
  async rearm(eventId: string, request: QueueSettingsRequest): Promise<Queue> {
    await this.catalog.get(eventId);
    const seed = randomBytes(SEED_BYTES).toString('hex');
    const state = await this.store.rearm(eventId, settingsOf(request), seed);
    await this.catalog.queueChanged(eventId);
    return queueView(state);
  }

  async patch(eventId: string, patch: QueuePatchRequest): Promise<Queue> {
    const queue = queueView(this.found(eventId, await this.store.patch(eventId, patch)));
    await this.catalog.queueChanged(eventId);
    return queue;
  }

  /**
   * The entry, and whether this call created it: one store call, which checks the proof against
   * the queue's powBits atomically (a session in line already is not asked for one again), and
   * counts the join against the session's limit in the same step (a refused one writes nothing).
   */
  async join(
    eventId: string,
    sessionId: string,
    nonce: string | undefined,
  ): Promise<{ created: boolean; entry: QueueEntry }> {
    const ticketId = this.ticketIds.next();
    const bits = proofBits(eventId, sessionId, nonce);
    const { joinLimit } = this.options;
    const joined = await this.store.join(eventId, sessionId, ticketId, bits, joinLimit);
    if (!joined.ok) {
      this.options.onJoinRefused?.(joined.reason);
      if (joined.reason === 'QUEUE_NOT_OPEN') throw errors.queueNotOpen(iso(joined.opensAt));
      if (joined.reason === 'PROOF_REQUIRED') throw errors.proofRequired(joined.powBits);
      if (joined.reason === 'RATE_LIMITED') throw errors.rateLimited(joined.retryAfterMs);
      throw errors.queueNotFound(eventId);
    }
    return { created: joined.created, entry: entryView(joined.entry, joined.queue, joined.now) };
  }

  async entry(eventId: string, sessionId: string): Promise<QueueEntry> {
    const outcome = await this.store.entry(eventId, sessionId);
    if (!outcome.ok) {
      throw outcome.reason === 'QUEUE_NOT_JOINED'
        ? errors.queueNotJoined()
        : errors.queueNotFound(eventId);
    }
    return entryView(outcome.entry, outcome.queue, outcome.now);
  }

  async audit(eventId: string): Promise<QueueAudit> {
    const outcome = await this.store.audit(eventId);
    if (!outcome.ok) {
      throw outcome.reason === 'QUEUE_NOT_DRAWN'
        ? errors.queueNotDrawn()
        : errors.queueNotFound(eventId);
    }
    const { seed, seedCommitment, prequeue } = outcome;
    return { seed, seedCommitment, prequeue };
  }

  private found(eventId: string, outcome: QueueOutcome): QueueState {
    if (!outcome.ok) throw errors.queueNotFound(eventId);
    return outcome.queue;
  }
}
