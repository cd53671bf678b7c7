// A real HTTP receiver of webhooks on 127.0.0.1 for the tests: records every request it gets and
// answers what the test's `answer` says (a status, or 'hold' to keep the request open).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  headers: Record<string, string>;
  body: string;
  status: number | 'hold';
  at: number;
}

export interface WebhookBodyOf {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export class Receiver {
  readonly received: Received[] = [];
  answer: (request: Received) => number | 'hold' = () => 200;
  private readonly held: ServerResponse[] = [];
  private readonly server = createServer((req, res) => this.handle(req, res));

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/hooks`;
  }

  /** The requests answered 2xx whose signature verifies with `secret`, parsed, in arrival order. */
  delivered(secret: string): Array<WebhookBodyOf & { id: string }> {
    return this.verified(secret).filter((r) => r.status !== 'hold' && r.status < 300);
  }

  /** Every request (whatever its answer) whose signature verifies with `secret`. */
  verified(secret: string): Array<WebhookBodyOf & { id: string; status: number | 'hold' }> {
    const webhook = new Webhook(secret);
    return this.received.flatMap((r) => {
      let body: WebhookBodyOf;
      try {
        body = webhook.verify(r.body, r.headers) as WebhookBodyOf;
      } catch {
        return [];
      }
      return [{ ...body, id: r.headers['webhook-id'] ?? '', status: r.status }];
    });
  }

  async close(): Promise<void> {
    for (const res of this.held.splice(0)) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers[name] = value;
      }
      const request: Received = {
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status: 200,
        at: Date.now(),
      };
      request.status = this.answer(request);
      this.received.push(request);
      if (request.status === 'hold') this.held.push(res);
      else res.writeHead(request.status).end();
    });
  }
}
