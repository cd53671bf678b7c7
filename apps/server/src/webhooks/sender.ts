// Sends one webhook: a POST of `{ type, timestamp, data }` signed as Standard Webhooks says
// (webhook-id, webhook-timestamp, webhook-signature, by the `standardwebhooks` package), with a
// time-out, over keep-alive connections (one pool per endpoint's host). Redirects are not
// followed: a 3xx is a failed attempt like any other non-2xx. What a delivery needs of its
// endpoint is worked out once per secret or URL, not per delivery: the signer, the parsed URL
// and its request options.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
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
/** Signers and targets kept at most (endpoints are few; a deleted one's entries age out). */
const CACHE_LIMIT = 1_000;

/** An endpoint's URL, parsed once, with what every request to it shares. */
interface Target {
  /** Why nothing is sent to it (a private address literal), or null. */
  refused: string | null;
  request: typeof http.request;
  /** The request's options but its headers (http.request would derive them from the URL). */
  options: http.RequestOptions;
  /** The Host header: with the headers given as a list, http.request does not add it. */
  host: string;
}

export class WebhookSender {
  private readonly agents: { http: http.Agent; https: https.Agent };
  private readonly signers = new Map<string, Webhook>();
  private readonly targets = new Map<string, Target>();

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
        'content-length': String(Buffer.byteLength(body)),
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
    };
  }

  async send(url: string, secret: string, message: WebhookMessage, signal: AbortSignal) {
    const target = this.target(url);
    if (target.refused !== null) return { status: null, error: target.refused };
    const { body, headers } = this.sign(secret, message);
    return this.post(target, body, headers, signal);
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private signer(secret: string): Webhook {
    let signer = this.signers.get(secret);
    if (signer === undefined) {
      if (this.signers.size >= CACHE_LIMIT) this.signers.clear();
      signer = new Webhook(secret);
      this.signers.set(secret, signer);
    }
    return signer;
  }

  private target(value: string): Target {
    let target = this.targets.get(value);
    if (target === undefined) {
      const url = new URL(value);
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      const secure = url.protocol === 'https:';
      target = {
        // An address literal is never looked up, so the lookup hook cannot refuse it.
        refused:
          !this.options.allowPrivateTargets && isIP(host) !== 0 && isPrivateAddress(host)
            ? 'private address refused'
            : null,
        request: secure ? https.request : http.request,
        options: {
          method: 'POST',
          protocol: url.protocol,
          hostname: host,
          port: url.port === '' ? undefined : Number(url.port),
          path: `${url.pathname}${url.search}`,
          agent: secure ? this.agents.https : this.agents.http,
        },
        host: url.host,
      };
      if (this.targets.size >= CACHE_LIMIT) this.targets.clear();
      this.targets.set(value, target);
    }
    return target;
  }

  private post(
    target: Target,
    body: string,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<SendOutcome> {
    // As a list (name, value, …): sent as given, without a validation per header.
    const list = ['host', target.host];
    for (const name in headers) list.push(name, headers[name] ?? '');
    return new Promise<SendOutcome>((resolve) => {
      let settled = false;
      const done = (outcome: SendOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const req = target.request({ ...target.options, headers: list }, (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) res.destroy();
        });
        res.on('end', () => done({ status: res.statusCode ?? null, error: null }));
        res.on('close', () => done({ status: res.statusCode ?? null, error: null }));
        res.on('error', () => done({ status: res.statusCode ?? null, error: null }));
      });
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
