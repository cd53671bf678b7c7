// Webhook signing secrets: `whsec_` + base64 of 32 random bytes (the Standard Webhooks form),
// kept sealed in the ledger (tickets/sealing.ts, under SESSION_SECRET, bound to the endpoint's
// id): a copy of the database alone cannot sign a webhook.
import { randomBytes } from 'node:crypto';
import { seal, type SealPurpose } from '../tickets/sealing.js';

export const WEBHOOK_SECRET: SealPurpose = {
  info: 'ticketmain webhook secret',
  label: 'webhook secret',
};
const SECRET_BYTES = 32;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;
}

export function sealWebhookSecret(sessionSecret: string, endpointId: string, secret: string) {
  return seal(sessionSecret, endpointId, secret, WEBHOOK_SECRET);
}
