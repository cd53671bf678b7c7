// Every refusal is problem+json and never repeats the request: the router's (a bad %-escape, a
// path parameter past maxParamLength), Node's HTTP parser's (431, a malformed request), Node's
// 417 and missing-Host 400, the WebSocket handshake's, a path without a route, a body too large,
// of another type or not JSON. Sent over a raw socket, so that
// what no HTTP client would send gets there as it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawExchange, type RawResponse } from '../support/raw-http.js';
import { startServer, type TestServer } from '../support/server.js';

/** Put in each request's URL or headers: an answer that contains it echoes the request. */
const MARKER = 'echo~canary~5e1d';
const HOST = 'Host: localhost\r\n';

describe('refusals (embedded)', () => {
  let server: TestServer;
  let port: number;
  beforeAll(async () => {
    server = await startServer('embedded');
    port = Number(new URL(server.url).port);
  });
  afterAll(() => server.close());

  /** The one response to `request`, checked as a problem of `status` and `code` with no echo. */
  async function refusal(request: string, status: number, code: string): Promise<RawResponse> {
    const answer = await rawExchange(port, Buffer.from(request, 'latin1'));
    expect(answer.text).not.toContain(MARKER);
    expect(answer.responses).toHaveLength(1);
    const response = answer.responses[0]!;
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(response.body)).toMatchObject({ status, code });
    return response;
  }

  it('a URL the router cannot decode: 400', async () => {
    await refusal(`GET /% HTTP/1.1\r\n${HOST}\r\n`, 400, 'INVALID_REQUEST');
    await refusal(`GET /api/events/%zz${MARKER} HTTP/1.1\r\n${HOST}\r\n`, 400, 'INVALID_REQUEST');
  });

  it('a path parameter past maxParamLength: 414, without the URL', async () => {
    const long = `/api/events/${MARKER}${'x'.repeat(15_000)}`;
    await refusal(`GET ${long} HTTP/1.1\r\n${HOST}\r\n`, 414, 'URI_TOO_LONG');
  });

  it('a request line or headers past maxHeaderSize: 431, and the connection closed', async () => {
    const url = `/${MARKER}${'x'.repeat(17_000)}`;
    const header = `X-Padding: ${MARKER}${'x'.repeat(17_000)}\r\n`;
    for (const request of [
      `GET ${url} HTTP/1.1\r\n${HOST}\r\n`,
      `GET / HTTP/1.1\r\n${HOST}${header}\r\n`,
    ]) {
      const response = await refusal(request, 431, 'HEADERS_TOO_LARGE');
      expect(response.headers.connection).toBe('close');
    }
  });

  it("what Node's parser refuses: 400 problem+json, the connection closed", async () => {
    const smuggled =
      `POST /api/sessions HTTP/1.1\r\n${HOST}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n` +
      `X-Marker: ${MARKER}\r\n\r\n0\r\n\r\n`;
    for (const request of [smuggled, `GET /${MARKER}\x00 HTTP/1.1\r\n${HOST}\r\n`]) {
      const response = await refusal(request, 400, 'INVALID_REQUEST');
      expect(response.headers.connection).toBe('close');
    }
    // Node's own answer to a missing Host is an empty 400; the app's is a problem.
    await refusal(`GET /${MARKER} HTTP/1.1\r\n\r\n`, 400, 'INVALID_REQUEST');
  });

  it('an Expect other than 100-continue: 417, where Node answers an empty one', async () => {
    const response = await refusal(
      `GET /health HTTP/1.1\r\n${HOST}Expect: ${MARKER}\r\n\r\n`,
      417,
      'EXPECTATION_FAILED',
    );
    expect(response.headers.connection).toBe('close');
  });

  it("a malformed WebSocket handshake (400), and a plain GET of /ws (404): ws's and @fastify/websocket's own answers are not problems", async () => {
    const upgrade = `GET /ws HTTP/1.1\r\n${HOST}Upgrade: websocket\r\nConnection: Upgrade\r\n`;
    await refusal(
      `${upgrade}Sec-WebSocket-Key: ${MARKER}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      400,
      'INVALID_REQUEST',
    );
    await refusal(`GET /ws?${MARKER} HTTP/1.1\r\n${HOST}\r\n`, 404, 'NOT_FOUND');
  });

  it('a path without a route: 404, the same answer whatever the path', async () => {
    const a = await refusal(`GET /nothing/${MARKER} HTTP/1.1\r\n${HOST}\r\n`, 404, 'NOT_FOUND');
    const b = await refusal(`TRACE /${MARKER} HTTP/1.1\r\n${HOST}\r\n`, 404, 'NOT_FOUND');
    expect(a.body).toBe(b.body);
  });

  it('a body too large (413), of another type (415), compressed otherwise (415), not JSON (400)', async () => {
    const post = (headers: string, body: string) =>
      `POST /api/sessions HTTP/1.1\r\n${HOST}${headers}Content-Length: ${body.length}\r\n\r\n${body}`;
    const json = 'Content-Type: application/json\r\n';
    const big = JSON.stringify({ pad: `${MARKER}${'x'.repeat(20_000)}` });
    await refusal(post(json, big), 413, 'PAYLOAD_TOO_LARGE');
    await refusal(post(`Content-Type: text/${MARKER}\r\n`, '{}'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await refusal(
      post(`${json}Content-Encoding: ${MARKER}\r\n`, '{}'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    await refusal(post(json, `{"${MARKER}": nope`), 400, 'INVALID_REQUEST');
  });
});
