// Raw HTTP/1.1 over a TCP socket (node:net), for what no HTTP client would send: malformed request
// lines and headers, smuggling attempts, garbage. The answer is every response read back, parsed
// just enough to check them, and whether the server closed the connection.
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  /** Header names lower-cased; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: string;
}

export interface RawAnswer {
  responses: RawResponse[];
  /** The server closed (or reset) the connection. */
  closed: boolean;
  /** Everything the server sent, as latin1 text. */
  text: string;
}

export interface RawOptions {
  /** Once a response is complete, how long to wait for another one (a smuggled request's). */
  graceMs?: number;
  /** Longest the whole exchange may take; past it the answer is what came so far. */
  timeoutMs?: number;
  /** End the sending side after the request, for one the server would otherwise wait on. */
  halfClose?: boolean;
}

/** Sends `request` as it is on a new connection to 127.0.0.1:`port` and reads what comes back. */
export function rawExchange(
  port: number,
  request: string | Buffer,
  { graceMs = 100, timeoutMs = 5_000, halfClose = false }: RawOptions = {},
): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    let grace: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(grace);
      clearTimeout(deadline);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ responses: parseResponses(text), closed, text });
    };
    const deadline = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      clearTimeout(grace);
      const responses = parseResponses(Buffer.concat(chunks).toString('latin1'));
      if (responses.length > 0) grace = setTimeout(() => finish(false), graceMs);
    });
    // A reset (the server closed with bytes of ours unread) is a close too.
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    if (halfClose) socket.end(request);
    else socket.write(request);
  });
}

/** The complete responses at the start of `text` (Content-Length or chunked bodies). */
export function parseResponses(text: string): RawResponse[] {
  const responses: RawResponse[] = [];
  let rest = text;
  for (;;) {
    const parsed = parseOne(rest);
    if (parsed === undefined) return responses;
    responses.push(parsed.response);
    rest = rest.slice(parsed.length);
  }
}

function parseOne(text: string): { response: RawResponse; length: number } | undefined {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (status === null) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const start = end + 4;
  const code = Number(status[1]);
  if (code === 204 || code === 304 || (code >= 100 && code < 200)) {
    return { response: { status: code, headers, body: '' }, length: start };
  }
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    const body = readChunked(text, start);
    if (body === undefined) return undefined;
    return { response: { status: code, headers, body: body.body }, length: body.end };
  }
  const length = Number(headers['content-length'] ?? 0);
  if (text.length < start + length) return undefined;
  const body = text.slice(start, start + length);
  return { response: { status: code, headers, body }, length: start + length };
}

function readChunked(text: string, from: number): { body: string; end: number } | undefined {
  let body = '';
  let at = from;
  for (;;) {
    const lineEnd = text.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(text.slice(at, lineEnd), 16);
    if (Number.isNaN(size)) return undefined;
    at = lineEnd + 2;
    if (size === 0) {
      const trailerEnd = text.indexOf('\r\n', at);
      return trailerEnd < 0 ? undefined : { body, end: trailerEnd + 2 };
    }
    if (text.length < at + size + 2) return undefined;
    body += text.slice(at, at + size);
    at += size + 2;
  }
}
