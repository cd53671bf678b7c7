// HTTP calls for setup and checks (sessions, event creation, fills, probes). Load itself goes
// through autocannon (load.ts); these are plain fetches with a timeout.

export interface Reply {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response says JSON, else the text. */
  body: unknown;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  const isJson = /json/.test(response.headers.get('content-type') ?? '');
  return { status: response.status, headers: response.headers, body: isJson ? parse(text) : text };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field of a parsed JSON body, or undefined. */
export function stringField(body: unknown, field: string): string | undefined {
  if (!isRecord(body)) return undefined;
  const value = body[field];
  return typeof value === 'string' ? value : undefined;
}

export function stringArrayField(body: unknown, field: string): string[] | undefined {
  if (!isRecord(body)) return undefined;
  const value = body[field];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return undefined;
  return value as string[];
}

export function describe(reply: Reply): string {
  const detail = stringField(reply.body, 'detail') ?? stringField(reply.body, 'code');
  return `HTTP ${reply.status}${detail === undefined ? '' : `: ${detail}`}`;
}
