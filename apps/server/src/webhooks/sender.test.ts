import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { newWebhookSecret } from './secrets.js';
import { WebhookSender } from './sender.js';

const message = {
  id: 'msg_42',
  type: 'order.confirmed',
  timestamp: new Date('2026-12-06T20:00:00.000Z'),
  data: { orderId: 'o-1', seats: ['A-1', 'A-2'], name: 'Zoë ✓' },
};

describe('WebhookSender.sign', () => {
  const sender = new WebhookSender({ timeoutMs: 1_000, allowPrivateTargets: false });
  afterAll(() => sender.close());

  it('signs as Standard Webhooks says: the reference library verifies it', () => {
    const secret = newWebhookSecret();
    const { body, headers } = sender.sign(secret, message);
    const verified = new Webhook(secret).verify(body, headers);
    expect(verified).toEqual({
      type: 'order.confirmed',
      timestamp: '2026-12-06T20:00:00.000Z',
      data: message.data,
    });
    expect(headers['webhook-id']).toBe('msg_42');
    expect(headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  it('writes the signature the reference library writes', () => {
    const secret = newWebhookSecret();
    const { body, headers } = sender.sign(secret, message);
    const at = new Date(Number(headers['webhook-timestamp']) * 1000);
    expect(headers['webhook-signature']).toBe(new Webhook(secret).sign('msg_42', at, body));
  });

  it('signs with each secret its own key', () => {
    const [a, b] = [newWebhookSecret(), newWebhookSecret()];
    const signed = sender.sign(a, message);
    expect(() => new Webhook(b).verify(signed.body, signed.headers)).toThrow();
    expect(() => new Webhook(a).verify(sender.sign(a, message).body, signed.headers)).not.toThrow();
  });

  it('refuses a private address literal without sending', async () => {
    const outcome = await sender.send(
      'http://127.0.0.1:9/hooks',
      newWebhookSecret(),
      message,
      new AbortController().signal,
    );
    expect(outcome).toEqual({ status: null, error: 'private address refused' });
  });
});
