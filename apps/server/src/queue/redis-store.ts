// The queue store on Redis (one server or a Cluster): every change one Lua script over the keys
// of the event's hash tag, so any replica may call any operation at any time.
import type { Cluster, Redis } from 'ioredis';
import { draw, seedCommitment } from '../domain/draw.js';
import { Keys, type QueueKeys } from '../holds/keys.js';
import { QueueCode } from './codes.js';
import {
  asArray,
  codeOf,
  parseEntry,
  parsePairs,
  parseState,
  QueueReplyError,
  str,
} from './replies.js';
import { QueueScripts } from './scripts.js';
import type {
  AuditOutcome,
  ConfigureOutcome,
  EntryOutcome,
  Inventory,
  JoinLimit,
  JoinOutcome,
  QueueOutcome,
  QueuePatch,
  QueueLog,
  QueueSettings,
  QueueState,
  QueueStore,
  StoredQueue,
  TickOutcome,
} from './types.js';

const NOT_FOUND = { ok: false, reason: 'QUEUE_NOT_FOUND' } as const;
/** Draw attempts per tick: the pre-queue cannot change after salesStartAt, so one is the rule. */
const DRAW_ATTEMPTS = 3;
/** Entries per restore call: bounds one script's run (and its blocking of the server). */
const RESTORE_CHUNK = 2_000;

export class RedisQueueStore implements QueueStore {
  private readonly scripts: QueueScripts;
  private readonly keys: Keys;
  /** The soldOut each event's durable copy was last told, so a tick tells only a change. */
  private readonly toldSoldOut = new Map<string, boolean>();

  constructor(
    redis: Redis | Cluster,
    prefix = '',
    /** The durable copy of the queues (absent: Redis alone). */
    private readonly log?: QueueLog,
  ) {
    this.scripts = new QueueScripts(redis);
    this.keys = new Keys(prefix);
  }

  async configure(eventId: string, s: QueueSettings, seed: string): Promise<ConfigureOutcome> {
    const commitment = seedCommitment(Buffer.from(seed, 'hex'));
    const args = [s.opensAt, s.salesStartAt, s.admitPerMinute, s.admissionSeconds, s.powBits];
    const reply = await this.call('configure', [this.k(eventId).cfg], [...args, seed, commitment]);
    if (codeOf(reply, 'configure') === QueueCode.QUEUE_STARTED) {
      return { ok: false, reason: 'QUEUE_STARTED' };
    }
    const queue = parseState(reply[1]);
    await this.log?.configured(eventId, s, str(reply[2], 'configure'), queue.seedCommitment);
    return { ok: true, queue };
  }

  async rearm(eventId: string, s: QueueSettings, seed: string): Promise<QueueState> {
    const commitment = seedCommitment(Buffer.from(seed, 'hex'));
    const q = this.k(eventId);
    const keys = [q.cfg, q.entries, q.owners, q.pre, q.late, q.line, q.admitted];
    const args = [s.opensAt, s.salesStartAt, s.admitPerMinute, s.admissionSeconds, s.powBits];
    const reply = await this.call('rearm', keys, [...args, seed, commitment]);
    if (codeOf(reply, 'rearm') !== QueueCode.OK) throw new QueueReplyError('rearm', reply);
    const queue = parseState(reply[1]);
    await this.log?.rearmed(eventId, s, seed, queue.seedCommitment);
    return queue;
  }

  async patch(eventId: string, patch: QueuePatch): Promise<QueueOutcome> {
    const paused = patch.paused === undefined ? '' : patch.paused ? '1' : '0';
    const args = [patch.admitPerMinute ?? '', paused];
    const outcome = this.queueReply(await this.call('patch', [this.k(eventId).cfg], args), 'patch');
    if (outcome.ok) await this.log?.patched(eventId, outcome.queue);
    return outcome;
  }

  async get(eventId: string): Promise<QueueOutcome> {
    // A patch that changes nothing is a read.
    return this.queueReply(await this.call('patch', [this.k(eventId).cfg], ['', '']), 'get');
  }

  async join(
    eventId: string,
    sessionId: string,
    ticketId: string,
    proofBits: number,
    limit?: JoinLimit,
  ): Promise<JoinOutcome> {
    const q = this.k(eventId);
    const keys = [
      q.cfg,
      q.entries,
      q.owners,
      q.pre,
      q.late,
      q.line,
      q.admitted,
      q.joins(sessionId),
    ];
    const args = [sessionId, ticketId, proofBits, limit?.max ?? 0, limit?.windowMs ?? 0];
    const reply = await this.call('join', keys, args);
    const code = codeOf(reply, 'join');
    if (code === QueueCode.QUEUE_NOT_FOUND) return NOT_FOUND;
    if (code === QueueCode.RATE_LIMITED) {
      return { ok: false, reason: 'RATE_LIMITED', retryAfterMs: Number(reply[1]) };
    }
    if (code === QueueCode.QUEUE_NOT_OPEN) {
      return { ok: false, reason: 'QUEUE_NOT_OPEN', opensAt: Number(reply[1]) };
    }
    if (code === QueueCode.PROOF_REQUIRED) {
      return { ok: false, reason: 'PROOF_REQUIRED', powBits: Number(reply[1]) };
    }
    const joined = { ok: true as const, created: reply[1] === 1, ...parseEntry(reply[2]) };
    if (joined.created) {
      const arrival = Number(reply[3]);
      const prequeue = joined.now < joined.queue.salesStartAt;
      this.log?.joined(eventId, { sessionId, ticketId, arrival, prequeue }, joined.entry);
    }
    return joined;
  }

  async entry(eventId: string, sessionId: string): Promise<EntryOutcome> {
    const q = this.k(eventId);
    const reply = await this.call('entry', [q.cfg, q.entries, q.line, q.admitted], [sessionId]);
    const code = codeOf(reply, 'entry');
    if (code === QueueCode.QUEUE_NOT_FOUND) return NOT_FOUND;
    if (code === QueueCode.QUEUE_NOT_JOINED) return { ok: false, reason: 'QUEUE_NOT_JOINED' };
    return { ok: true, ...parseEntry(reply[1]) };
  }

  async tick(eventId: string, inventory: Inventory): Promise<TickOutcome> {
    let drew = false;
    for (let attempt = 0; attempt <= DRAW_ATTEMPTS; attempt++) {
      const reply = await this.admit(eventId, inventory);
      const code = codeOf(reply, 'tick');
      if (code === QueueCode.QUEUE_NOT_FOUND) return NOT_FOUND;
      if (code === QueueCode.OK) {
        const [, admitted, servedThrough] = reply;
        this.tellTick(eventId, reply, inventory.soldOut);
        return { ok: true, admitted: Number(admitted), drew, servedThrough: Number(servedThrough) };
      }
      if (code !== QueueCode.QUEUE_NOT_DRAWN) throw new QueueReplyError('tick', reply);
      drew = (await this.draw(eventId)) || drew;
    }
    throw new Error(`queue of ${eventId}: the draw did not apply`);
  }

  async audit(eventId: string): Promise<AuditOutcome> {
    const q = this.k(eventId);
    const reply = await this.call('audit', [q.cfg, q.pre, q.line]);
    const code = codeOf(reply, 'audit');
    if (code === QueueCode.QUEUE_NOT_FOUND) return NOT_FOUND;
    if (code === QueueCode.QUEUE_NOT_DRAWN) return { ok: false, reason: 'QUEUE_NOT_DRAWN' };
    const [, seed, commitment, ...pairs] = reply;
    return {
      ok: true,
      seed: str(seed, 'audit'),
      seedCommitment: str(commitment, 'audit'),
      prequeue: parsePairs(pairs),
    };
  }

  async isAdmitted(eventId: string, sessionId: string): Promise<boolean> {
    const q = this.k(eventId);
    return (await this.scripts.run('isAdmitted', [q.cfg, q.admitted], [sessionId])) === 1;
  }

  async restore(eventId: string, stored: StoredQueue): Promise<void> {
    const q = this.k(eventId);
    const keys = [q.cfg, q.entries, q.owners, q.pre, q.late, q.line, q.admitted];
    const { state: s } = stored;
    const flag = (b: boolean) => (b ? '1' : '0');
    const cfg = [
      ...[s.opensAt, s.salesStartAt, s.admitPerMinute, s.admissionSeconds, s.powBits],
      ...[flag(s.paused), stored.seed, s.seedCommitment, flag(s.drawn), s.servedThrough],
      ...[s.lastNumber, flag(s.soldOut), stored.arrivals],
    ];
    const entries = stored.entries.map((e) => [
      e.sessionId ?? '',
      e.ticketId,
      e.arrival,
      flag(e.prequeue),
      e.number ?? '',
      e.admittedUntil ?? '',
    ]);
    for (let at = 0; ; at += RESTORE_CHUNK) {
      const final = at + RESTORE_CHUNK >= entries.length;
      const chunk = entries.slice(at, at + RESTORE_CHUNK).flat();
      const reply = await this.call('restore', keys, [flag(final), ...cfg, ...chunk]);
      codeOf(reply, 'restore');
      if (final) return;
    }
  }

  /** The client belongs to the caller. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** What a tick changed, for the durable copy: the entries it admitted, a change of soldOut. */
  private tellTick(eventId: string, reply: unknown[], soldOut: boolean): void {
    if (this.log === undefined) return;
    if (this.toldSoldOut.get(eventId) !== soldOut) {
      this.toldSoldOut.set(eventId, soldOut);
      this.log.soldOut(eventId, soldOut);
    }
    if (Number(reply[1]) === 0) return;
    const entries: { sessionId: string; ticketId: string; number: number }[] = [];
    for (let i = 4; i + 2 < reply.length; i += 3) {
      const ticketId = str(reply[i], 'tick');
      entries.push({
        ticketId,
        sessionId: str(reply[i + 1], 'tick'),
        number: Number(reply[i + 2]),
      });
    }
    this.log.admitted(eventId, entries, Number(reply[3]), Number(reply[2]));
  }

  private admit(eventId: string, inventory: Inventory): Promise<unknown[]> {
    const q = this.k(eventId);
    const args = [inventory.available ? '1' : '0', inventory.soldOut ? '1' : '0'];
    return this.call('tick', [q.cfg, q.line, q.owners, q.admitted], args);
  }

  /** Reads the pre-queue and the seed, draws in process, applies it; true when this call drew. */
  private async draw(eventId: string): Promise<boolean> {
    const q = this.k(eventId);
    const read = await this.call('prequeue', [q.cfg, q.pre]);
    if (codeOf(read, 'prequeue') !== QueueCode.OK || read.length === 1) return false;
    const [, seed, ...ticketIds] = read;
    const ids = ticketIds.map((id) => str(id, 'prequeue'));
    const order = draw(Buffer.from(str(seed, 'prequeue'), 'hex'), ids).map((e) => e.ticketId);
    const applied = await this.call('draw', [q.cfg, q.pre, q.late, q.line], order);
    const drew = codeOf(applied, 'draw') === QueueCode.OK && applied[1] === 1;
    if (drew) {
      const late = applied.slice(2).map((id) => str(id, 'draw'));
      await this.log?.drawn(eventId, [...order, ...late], order.length);
    }
    return drew;
  }

  private queueReply(reply: unknown[], what: string): QueueOutcome {
    if (codeOf(reply, what) === QueueCode.QUEUE_NOT_FOUND) return NOT_FOUND;
    return { ok: true, queue: parseState(reply[1]) };
  }

  private async call(
    name: Parameters<QueueScripts['run']>[0],
    keys: string[],
    args: (string | number)[] = [],
  ): Promise<unknown[]> {
    return asArray(await this.scripts.run(name, keys, args), name);
  }

  private k(eventId: string): QueueKeys {
    return this.keys.event(eventId).queue;
  }
}
