// The outbox dispatcher, on every replica: claims due deliveries (short statements, FOR UPDATE
// SKIP LOCKED, a lease in `locked_until`), sends them (webhooks signed, mails through the
// mailer), and records each attempt. A replica killed mid-delivery loses nothing: its lease
// runs out and another replica claims the delivery again (at least once, never lost).
import { setMaxListeners } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import { GroupCommit } from '../ledger/group-commit.js';
import { MAIL_TARGET } from '../ledger/outbox.js';
import type { ClaimedDelivery, DeliveryResult, OutboxSql } from '../ledger/outbox-sql.js';
import { UndeliverableMail, type Mailer } from '../mail/mailer.js';
import { unseal } from '../tickets/sealing.js';
import { retryDelay } from '../webhooks/schedule.js';
import type { WebhookSender } from '../webhooks/sender.js';
import { WEBHOOK_SECRET } from '../webhooks/secrets.js';

export interface DispatcherOptions {
  /** How often an idle dispatcher looks for due deliveries. */
  pollMs: number;
  /** Deliveries in flight at once on this replica. */
  concurrency: number;
  /** A claim's lease: longer than a delivery's time-out, so a live replica never loses one. */
  leaseMs: number;
  /** WEBHOOK_RETRY_SCALE: 1 in production, less in tests. */
  retryScale: number;
  sessionSecret: string;
}

/** Most deliveries claimed by one statement. */
const CLAIM_BATCH = 100;
/** Finished deliveries are kept this long for the delivery log, then pruned. */
const RETENTION_MS = 7 * 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;

export class Dispatcher {
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  private wake: (() => void) | undefined;
  private waitingForRoom = false;
  private loop: Promise<void> | undefined;
  private lastPrune = 0;
  private readonly abort = new AbortController();
  /** Unsealed secrets by endpoint, with the sealed value they came from (a change unseals anew). */
  private readonly secrets = new Map<string, { sealed: string; secret: string }>();
  private readonly results: GroupCommit<DeliveryResult, undefined>;

  constructor(
    private readonly outbox: OutboxSql,
    private readonly sender: WebhookSender,
    private readonly mailer: Mailer,
    private readonly options: DispatcherOptions,
    private readonly log: FastifyBaseLogger,
  ) {
    // Every delivery in flight listens for the stop: no leak warning past 10 of them.
    setMaxListeners(options.concurrency + 1, this.abort.signal);
    // Results of deliveries that end together are written in one statement.
    this.results = new GroupCommit<DeliveryResult, undefined>(
      async (results) => {
        await this.outbox.record(results);
        return results.map(() => ({ status: 'fulfilled' as const, value: undefined }));
      },
      { maxBatch: 500, maxInFlight: 1 },
    );
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops claiming; deliveries in flight are cut and recorded as due again at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const limit = Math.min(this.options.concurrency - this.inFlight.size, CLAIM_BATCH);
      const claimed = limit > 0 ? await this.claim(limit) : 0;
      // A full batch means more may be due: claim again at once while there is room.
      if (limit > 0 && claimed === limit && this.inFlight.size < this.options.concurrency) {
        continue;
      }
      // Full: the deliveries finishing wake the loop once a batch's worth of room is free again
      // (not at each of them, which made a claim statement per delivery). Else the next poll.
      this.waitingForRoom = this.inFlight.size >= this.options.concurrency;
      await this.sleep(this.options.pollMs);
      this.waitingForRoom = false;
      await this.maybePrune();
    }
  }

  /** Room enough for the next claim to be a batch: half the concurrency, or a full claim. */
  private get roomToClaim(): number {
    return Math.min(CLAIM_BATCH, Math.ceil(this.options.concurrency / 2));
  }

  private async claim(limit: number): Promise<number> {
    let deliveries: ClaimedDelivery[];
    try {
      deliveries = await this.outbox.claim(limit, this.options.leaseMs);
    } catch (err) {
      this.log.warn({ err }, 'outbox claim failed');
      return 0;
    }
    for (const delivery of deliveries) {
      const running: Promise<void> = this.deliver(delivery)
        .catch((err: unknown) => this.log.warn({ err, delivery: delivery.id }, 'delivery failed'))
        .finally(() => {
          this.inFlight.delete(running);
          const room = this.options.concurrency - this.inFlight.size;
          if (this.waitingForRoom && room >= this.roomToClaim) this.wake?.();
        });
      this.inFlight.add(running);
    }
    return deliveries.length;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const outcome =
      delivery.target === MAIL_TARGET ? await this.mail(delivery) : await this.webhook(delivery);
    const result = this.result(delivery, outcome);
    await this.results.submit(result);
    if (outcome.status === 410) await this.outbox.disableEndpoint(delivery.target);
  }

  private async webhook(delivery: ClaimedDelivery): Promise<Outcome> {
    const endpoint = delivery.endpoint;
    if (endpoint === null || endpoint.disabled) {
      this.secrets.delete(delivery.target);
      return { kind: 'give-up', status: null, error: 'endpoint deleted or disabled' };
    }
    const secret = this.secret(delivery.target, endpoint.sealedSecret);
    const sent = await this.sender.send(
      endpoint.url,
      secret,
      {
        id: `msg_${delivery.outboxId}`,
        type: delivery.type,
        timestamp: delivery.occurredAt,
        data: delivery.data,
      },
      this.abort.signal,
    );
    if (this.stopped) return { kind: 'again', status: sent.status, error: 'dispatcher stopped' };
    const { status } = sent;
    if (status !== null && status >= 200 && status < 300)
      return { kind: 'done', status, error: null };
    if (status === 410) return { kind: 'give-up', status, error: 'endpoint gone (410)' };
    return { kind: 'retry', status, error: sent.error ?? `HTTP ${status}` };
  }

  private async mail(delivery: ClaimedDelivery): Promise<Outcome> {
    const orderId = delivery.data.orderId;
    if (typeof orderId !== 'string') return { kind: 'give-up', status: null, error: 'no order' };
    try {
      await this.mailer.sendOrderConfirmation(orderId);
      return { kind: 'done', status: null, error: null };
    } catch (err) {
      const error = err instanceof Error ? err.message.slice(0, 200) : String(err);
      if (err instanceof UndeliverableMail) return { kind: 'give-up', status: null, error };
      if (this.stopped) return { kind: 'again', status: null, error };
      return { kind: 'retry', status: null, error };
    }
  }

  private result(delivery: ClaimedDelivery, outcome: Outcome): DeliveryResult {
    const base = { id: delivery.id, attempt: delivery.attempt, status: outcome.status };
    const error = outcome.error;
    switch (outcome.kind) {
      case 'done':
        return { ...base, state: 'delivered', error, retryInMs: null };
      case 'give-up':
        return { ...base, state: 'failed', error, retryInMs: null };
      case 'again':
        return { ...base, state: 'pending', error, retryInMs: 0 };
      case 'retry': {
        const elapsed = Date.now() - delivery.occurredAt.getTime();
        const delay = retryDelay(delivery.attempt, elapsed, this.options.retryScale);
        return delay === null
          ? { ...base, state: 'failed', error, retryInMs: null }
          : { ...base, state: 'pending', error, retryInMs: delay };
      }
    }
  }

  private secret(endpointId: string, sealed: string): string {
    const cached = this.secrets.get(endpointId);
    if (cached?.sealed === sealed) return cached.secret;
    const secret = unseal(this.options.sessionSecret, endpointId, sealed, WEBHOOK_SECRET);
    this.secrets.set(endpointId, { sealed, secret });
    return secret;
  }

  private async maybePrune(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    await this.outbox.prune(RETENTION_MS).catch((err: unknown) => {
      this.log.warn({ err }, 'outbox prune failed');
    });
  }
}

type Outcome = {
  /** done: delivered; retry: on the schedule; again: due at once (cut by a stop); give-up. */
  kind: 'done' | 'retry' | 'again' | 'give-up';
  status: number | null;
  error: string | null;
};
