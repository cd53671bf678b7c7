// The organiser's webhook endpoints: create (with a new signing secret, shown once), list,
// delete, and the log of delivery attempts. Targets on private networks are refused unless
// WEBHOOK_ALLOW_PRIVATE_TARGETS is set; the sender checks again at every connection.
import { randomUUID } from 'node:crypto';
import type {
  DeliveryAttempt,
  WebhookCreated,
  WebhookEndpoint,
  WebhookEventType,
  WebhookRequest,
} from '@ticketmain/protocol';
import { errors } from '../domain/errors.js';
import type { WebhookEndpointRecord } from '../ledger/outbox-sql.js';
import type { Ledger } from '../ledger/types.js';
import { newWebhookSecret, sealWebhookSecret } from './secrets.js';
import { privateAddressesOf } from './targets.js';

const ATTEMPTS_LISTED = 100;

export class WebhookService {
  constructor(
    private readonly ledger: Ledger,
    private readonly options: { sessionSecret: string; allowPrivateTargets: boolean },
  ) {}

  async create(request: WebhookRequest): Promise<WebhookCreated> {
    const url = parseTarget(request.url);
    if (!this.options.allowPrivateTargets) await assertPublic(url);
    const id = randomUUID();
    const secret = newWebhookSecret();
    const record = await this.ledger.outbox.createEndpoint({
      id,
      url: url.toString(),
      events: request.events,
      sealedSecret: sealWebhookSecret(this.options.sessionSecret, id, secret),
    });
    return { ...view(record), secret };
  }

  async list(): Promise<WebhookEndpoint[]> {
    return (await this.ledger.outbox.endpoints()).map(view);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.ledger.outbox.deleteEndpoint(id))) throw errors.webhookNotFound();
  }

  async attempts(id: string): Promise<DeliveryAttempt[]> {
    if ((await this.ledger.outbox.endpoint(id)) === null) throw errors.webhookNotFound();
    const attempts = await this.ledger.outbox.attempts(id, ATTEMPTS_LISTED);
    return attempts.map((a) => ({
      deliveryId: a.deliveryId,
      type: a.type as WebhookEventType,
      attemptedAt: a.attemptedAt.toISOString(),
      status: a.status,
      error: a.error,
      nextAttemptAt: a.nextAttemptAt?.toISOString() ?? null,
    }));
  }
}

function parseTarget(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw errors.invalid('url: not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw errors.invalid('url: only http and https URLs can receive webhooks');
  }
  if (url.username !== '' || url.password !== '') {
    throw errors.invalid('url: credentials in the URL are not accepted');
  }
  return url;
}

async function assertPublic(url: URL): Promise<void> {
  let refused: string[];
  try {
    refused = await privateAddressesOf(url.hostname);
  } catch {
    throw errors.webhookTargetRefused(`${url.hostname} does not resolve`);
  }
  if (refused.length > 0) {
    throw errors.webhookTargetRefused(
      `${url.hostname} resolves to a loopback or private address (${refused.join(', ')}); ` +
        'set WEBHOOK_ALLOW_PRIVATE_TARGETS=true to allow such targets',
    );
  }
}

function view(record: WebhookEndpointRecord): WebhookEndpoint {
  return {
    id: record.id,
    url: record.url,
    events: record.events as WebhookEventType[],
    createdAt: record.createdAt.toISOString(),
    disabledAt: record.disabledAt?.toISOString() ?? null,
  };
}
