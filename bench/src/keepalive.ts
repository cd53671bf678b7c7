// HTTP requests over a bounded pool of keep-alive connections (node:http Agent with maxSockets:
// requests beyond it wait in the agent's queue), for the paced change driver and the launch
// buyers. autocannon (load.ts) drives the saturating scenarios; these need a request at a chosen
// moment, or one that depends on what a buyer sees, instead.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { BestHoldRequest, HoldRequest, OrderRequest } from '@ticketmain/protocol';

export interface HttpReply {
  /** 0 when the request failed without a response (socket error or timeout). */
  status: number;
  body: string;
  /** From the call to the end of the body, waiting for a free connection included. */
  ms: number;
  error?: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  token?: string;
  body?: HoldRequest | BestHoldRequest | OrderRequest;
  headers?: Record<string, string>;
}

const TIMEOUT_MS = 15_000;

export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

export function send(agent: Agent, baseUrl: string, req: HttpRequest): Promise<HttpReply> {
  const started = performance.now();
  const headers: Record<string, string> = { ...req.headers };
  if (req.token !== undefined) headers.authorization = `Bearer ${req.token}`;
  const body = req.body === undefined ? undefined : JSON.stringify(req.body);
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve) => {
    const fail = (err: Error): void =>
      resolve({ status: 0, body: '', ms: performance.now() - started, error: err.message });
    const r = request(
      new URL(req.path, baseUrl),
      { method: req.method, headers, agent, timeout: TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', fail);
      },
    );
    r.on('timeout', () => r.destroy(new Error('request timed out')));
    r.on('error', fail);
    r.end(body);
  });
}

/** A parsed JSON body, or undefined. */
export function json(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
