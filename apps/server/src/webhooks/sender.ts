// Sends one webhook: a POST of `{ type, timestamp, data }` signed as Standard Webhooks says
// (webhook-id, webhook-timestamp, webhook-signature), with a time-out, over keep-alive
// connections. Redirects are not followed: a 3xx is a failed attempt like any other non-2xx.
import http from 'node:http';
import https from 'node:https';
import { Webhook } from 'standardwebhooks';
import { isIP } from 'node:net';
import { isPrivateAddress, publicOnlyLookup } from './targets.js';

export interface SendOutcome {
  /** The HTTP status, if an answer came. */
  status: number | null;
  error: string | null;
}

export interface WebhookMessage {
  /** The same for every attempt of one event: receivers deduplicate by it. */
  id: string;
  type: string;
  timestamp: Date;
  data: Record<string, unknown>;
}

/** Answers are read up to this size and dropped: only the status matters. */
const MAX_ANSWER_BYTES = 64 * 1024;

export class WebhookSender {
  private readonly agents: { http: http.Agent; https: https.Agent };
  private readonly signers = new Map<string, Webhook>();

  constructor(private readonly options: { timeoutMs: number; allowPrivateTargets: boolean }) {
    const lookup = options.allowPrivateTargets ? undefined : publicOnlyLookup;
    const agentOptions = { keepAlive: true, maxSockets: 64, lookup };
    this.agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  }

  /** The signed request's body and headers (exported for the tests of the format). */
  sign(secret: string, message: WebhookMessage): { body: string; headers: Record<string, string> } {
    const body = JSON.stringify({
      type: message.type,
      timestamp: message.timestamp.toISOString(),
      data: message.data,
    });
    const now = new Date();
    const signature = this.signer(secret).sign(message.id, now, body);
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
    };
  }

  async send(url: string, secret: string, message: WebhookMessage, signal: AbortSignal) {
    const { body, headers } = this.sign(secret, message);
    return this.post(new URL(url), body, headers, signal);
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private signer(secret: string): Webhook {
    let signer = this.signers.get(secret);
    if (signer === undefined) {
      signer = new Webhook(secret);
      this.signers.set(secret, signer);
    }
    return signer;
  }

  private post(
    url: URL,
    body: string,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<SendOutcome> {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    // An address literal is never looked up, so the lookup hook cannot refuse it.
    if (!this.options.allowPrivateTargets && isIP(host) !== 0 && isPrivateAddress(host)) {
      return Promise.resolve({ status: null, error: 'private address refused' });
    }
    const secure = url.protocol === 'https:';
    const request = secure ? https.request : http.request;
    return new Promise<SendOutcome>((resolve) => {
      let settled = false;
      const done = (outcome: SendOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const req = request(
        url,
        {
          method: 'POST',
          agent: secure ? this.agents.https : this.agents.http,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        },
        (res) => {
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_ANSWER_BYTES) res.destroy();
          });
          res.on('end', () => done({ status: res.statusCode ?? null, error: null }));
          res.on('close', () => done({ status: res.statusCode ?? null, error: null }));
          res.on('error', () => done({ status: res.statusCode ?? null, error: null }));
        },
      );
      const timer = setTimeout(() => {
        req.destroy(new Error(`no answer in ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      const onAbort = () => req.destroy(new Error('dispatcher stopped'));
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err) => done({ status: null, error: err.message.slice(0, 200) }));
      req.end(body);
    });
  }
}
