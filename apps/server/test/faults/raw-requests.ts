// Requests no HTTP client would send, for the raw-socket fuzzing of fuzz.test.ts: bad URLs, URLs
// and headers past Node's maxHeaderSize, smuggling attempts, bad methods and versions, garbage.
// Each carries MARKER in its URL, a header or its body: an answer that contains it echoes the
// request.

export const MARKER = 'Echo~Canary~9b2c';
/** How an echo is found: the marker's word, whatever its case or escaping. */
export const ECHO = /canary/i;

export interface RawCase {
  name: string;
  /** The bytes to send, as latin1 text. */
  request: string;
  /**
   * A smuggling attempt or a message the server must refuse: no answer below 400, and never a
   * second answer (the smuggled request's).
   */
  refused?: boolean;
  /** The request is incomplete on purpose: end the sending side so the server stops waiting. */
  halfClose?: boolean;
}

const HOST = 'Host: localhost\r\n';
const JSON_TYPE = 'Content-Type: application/json\r\n';
/** A POST whose body is read (sessions take any JSON body). */
const POST = `POST /api/sessions HTTP/1.1\r\n${HOST}${JSON_TYPE}X-Marker: ${MARKER}\r\n`;
/** What a smuggling attempt hides after its body: answered, it would be a second 200. */
const SMUGGLED = `GET /health?${MARKER} HTTP/1.1\r\n${HOST}\r\n`;

const get = (target: string, headers = '') => `GET ${target} HTTP/1.1\r\n${HOST}${headers}\r\n`;
const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
const headers = (count: number, size: number) =>
  Array.from({ length: count }, (_, i) => `X-${i}: ${MARKER.padEnd(size, 'x')}\r\n`).join('');

const badUrls: RawCase[] = [
  { name: 'a lone %', request: get(`/%?${MARKER}`) },
  { name: 'a bad %-escape', request: get(`/%zz${MARKER}`) },
  { name: 'a bad %-escape in a parameter', request: get(`/api/events/%zz${MARKER}`) },
  { name: 'a truncated UTF-8 escape', request: get(`/api/events/%E0%A4%A${MARKER}`) },
  { name: 'an overlong UTF-8 escape', request: get(`/%C0%AE%C0%AE/${MARKER}`) },
  {
    name: 'an escaped NUL in a parameter',
    request: get(`/api/events/arena-demo%00/seats?${MARKER}`),
  },
  { name: 'an escaped NUL in an order id', request: get(`/api/orders/%00${MARKER}`) },
  { name: 'an escaped NUL in the query', request: get(`/api/events?q=%00${MARKER}`) },
  { name: 'a bad escape in the query', request: get(`/api/events?${MARKER}=%zz`) },
  { name: 'a raw NUL', request: get(`/${MARKER}\x00`), refused: true },
  { name: 'a raw control byte', request: get(`/\x01${MARKER}`), refused: true },
  { name: 'a raw DEL', request: get(`/${MARKER}\x7f`), refused: true },
  { name: 'raw UTF-8', request: utf8(get(`/événement/🎫${MARKER}`)), refused: true },
  { name: 'an escaped path traversal', request: get(`/..%2f..%2fetc/passwd?${MARKER}`) },
  { name: 'an absolute URL', request: get(`http://evil.example/${MARKER}`) },
  { name: 'an asterisk', request: get('*', `X-Marker: ${MARKER}\r\n`) },
  { name: 'a fragment', request: get(`/health#${MARKER}`) },
  {
    name: 'thousands of query parameters',
    request: get(`/api/events?${'a=1&'.repeat(3_000)}${MARKER}`),
  },
  {
    name: 'a parameter past maxParamLength',
    request: get(`/api/events/${MARKER}${'x'.repeat(300)}`),
  },
  { name: 'a 15 KB path', request: get(`/${MARKER}${'x'.repeat(15_000)}`) },
  { name: 'a 17 KB path', request: get(`/${MARKER}${'x'.repeat(17_000)}`), refused: true },
  { name: 'a 64 KB path', request: get(`/${MARKER}${'x'.repeat(65_536)}`), refused: true },
  {
    name: 'a 20 KB query',
    request: get(`/api/events?q=${MARKER}${'x'.repeat(20_000)}`),
    refused: true,
  },
];

const hugeHeaders: RawCase[] = [
  { name: 'a 17 KB header', request: get('/', headers(1, 17_000)), refused: true },
  {
    name: 'a 17 KB header name',
    request: get('/', `X-${MARKER}${'x'.repeat(17_000)}: 1\r\n`),
    refused: true,
  },
  { name: '3,000 small headers', request: get('/', headers(3_000, 20)), refused: true },
  { name: '400 headers under the limit', request: get('/health', headers(400, 20)) },
  {
    name: 'a 40 KB cookie',
    request: get('/', `Cookie: a=${MARKER}${'x'.repeat(40_000)}\r\n`),
    refused: true,
  },
  {
    name: 'a long bearer token',
    request: get(
      '/api/events/arena-demo/seats',
      `Authorization: Bearer ${MARKER}${'x'.repeat(600)}\r\n`,
    ),
  },
  {
    name: 'a foreign bearer token',
    request: get('/api/events/arena-demo/seats', `Authorization: Bearer ${MARKER}\r\n`),
  },
];

const smuggling: RawCase[] = [
  {
    name: 'Content-Length and Transfer-Encoding (CL.TE)',
    request: `${POST}Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX${SMUGGLED}`,
    refused: true,
  },
  {
    name: 'Transfer-Encoding and Content-Length (TE.CL)',
    request: `${POST}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n${SMUGGLED}`,
    refused: true,
  },
  {
    name: 'two Content-Lengths',
    request: `${POST}Content-Length: 0\r\nContent-Length: ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`,
    refused: true,
  },
  {
    name: 'a Content-Length list',
    request: `${POST}Content-Length: 2, 2\r\n\r\n{}${SMUGGLED}`,
    refused: true,
  },
  {
    name: 'a negative Content-Length',
    request: `${POST}Content-Length: -1\r\n\r\n{}`,
    refused: true,
  },
  {
    name: 'a signed Content-Length',
    request: `${POST}Content-Length: +2\r\n\r\n{}`,
    refused: true,
  },
  {
    name: 'a huge Content-Length',
    request: `${POST}Content-Length: 99999999999999999999\r\n\r\n{}`,
    refused: true,
  },
  {
    name: 'an obfuscated Transfer-Encoding',
    request: `${POST}Transfer-Encoding: xchunked\r\nContent-Length: 2\r\n\r\n{}${SMUGGLED}`,
    refused: true,
  },
  {
    name: 'chunked then identity',
    request: `${POST}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n${SMUGGLED}`,
    refused: true,
  },
  {
    name: 'two Transfer-Encodings',
    request: `${POST}Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n${SMUGGLED}`,
    refused: true,
  },
  {
    name: 'a space before the colon',
    request: `${POST}Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`,
    refused: true,
  },
  {
    name: 'a chunk size that is not hex',
    request: `${POST}Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    refused: true,
  },
  {
    name: 'a negative chunk size',
    request: `${POST}Transfer-Encoding: chunked\r\n\r\n-1\r\n{}\r\n0\r\n\r\n`,
    refused: true,
  },
  {
    name: 'an overflowing chunk size',
    request: `${POST}Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n{}\r\n0\r\n\r\n`,
    refused: true,
  },
  {
    name: 'a chunk shorter than its size',
    request: `${POST}Transfer-Encoding: chunked\r\n\r\n5\r\n{}\r\n0\r\n\r\n${SMUGGLED}`,
    refused: true,
  },
  {
    name: 'a 20 KB chunk extension',
    request: `${POST}Transfer-Encoding: chunked\r\n\r\n2;${'a'.repeat(20_000)}\r\n{}\r\n0\r\n\r\n`,
    refused: true,
  },
  {
    name: 'no last chunk',
    request: `${POST}Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n`,
    refused: true,
    halfClose: true,
  },
  {
    name: 'an obs-fold header',
    request: get('/health', `X-A: a\r\n  ${MARKER}\r\n`),
    refused: true,
  },
  { name: 'a bare LF', request: `GET /${MARKER} HTTP/1.1\nHost: localhost\n\n`, refused: true },
  { name: 'a bare CR in a value', request: get('/health', `X-A: a\r${MARKER}\r\n`), refused: true },
  { name: 'a NUL in a value', request: get('/health', `X-A: ${MARKER}\x00\r\n`), refused: true },
  { name: 'a header without a colon', request: get('/health', `X-${MARKER}\r\n`), refused: true },
  { name: 'an empty header name', request: get('/health', `: ${MARKER}\r\n`), refused: true },
  {
    name: 'a space in a header name',
    request: get('/health', `X A: ${MARKER}\r\n`),
    refused: true,
  },
  {
    name: 'a pipelined second request',
    request: `GET /health HTTP/1.1\r\n${HOST}\r\nGET /${MARKER} HTTP/1.1\r\n${HOST}\r\n`,
  },
];

const methodsAndVersions: RawCase[] = [
  { name: 'an unknown method', request: `GEX /${MARKER} HTTP/1.1\r\n${HOST}\r\n`, refused: true },
  { name: 'a lower-case method', request: `get /${MARKER} HTTP/1.1\r\n${HOST}\r\n`, refused: true },
  {
    name: 'a 1,000-letter method',
    request: `${'A'.repeat(1_000)} /${MARKER} HTTP/1.1\r\n${HOST}\r\n`,
    refused: true,
  },
  { name: 'PROPFIND', request: `PROPFIND /${MARKER} HTTP/1.1\r\n${HOST}\r\n` },
  { name: 'TRACE', request: `TRACE /${MARKER} HTTP/1.1\r\n${HOST}X-Marker: ${MARKER}\r\n\r\n` },
  {
    name: 'CONNECT',
    request: `CONNECT ${MARKER}.example:443 HTTP/1.1\r\n${HOST}\r\n`,
    refused: true,
  },
  { name: 'OPTIONS *', request: `OPTIONS * HTTP/1.1\r\n${HOST}X-Marker: ${MARKER}\r\n\r\n` },
  { name: 'M-SEARCH', request: `M-SEARCH /${MARKER} HTTP/1.1\r\n${HOST}\r\n` },
  {
    name: 'DELETE with a cut body',
    request: `DELETE /api/events/arena-demo/holds/A1 HTTP/1.1\r\n${HOST}${JSON_TYPE}Content-Length: 9\r\n\r\n{"${MARKER}"`,
  },
  { name: 'an HTTP/0.9 line', request: `GET /${MARKER}\r\n`, halfClose: true },
  { name: 'an HTTP/0.9 line and a blank line', request: `GET /${MARKER}\r\n\r\n` },
  { name: 'no line end', request: `GET /${MARKER} HTTP/1.1`, halfClose: true, refused: true },
  { name: 'HTTP/2.0 in a request line', request: `GET /${MARKER} HTTP/2.0\r\n${HOST}\r\n` },
  { name: 'HTTP/1.10', request: `GET /${MARKER} HTTP/1.10\r\n${HOST}\r\n`, refused: true },
  { name: 'FTP/1.1', request: `GET /${MARKER} FTP/1.1\r\n${HOST}\r\n`, refused: true },
  { name: 'the HTTP/2 preface', request: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', refused: true },
  {
    name: 'a status line',
    request: `HTTP/1.1 200 OK\r\nX-Marker: ${MARKER}\r\n\r\n`,
    refused: true,
  },
  {
    name: 'tabs between the parts',
    request: `GET\t/${MARKER}\tHTTP/1.1\r\n${HOST}\r\n`,
    refused: true,
  },
  {
    name: 'no path',
    request: `GET  HTTP/1.1\r\n${HOST}X-Marker: ${MARKER}\r\n\r\n`,
    refused: true,
  },
  { name: 'no Host', request: `GET /health?${MARKER} HTTP/1.1\r\n\r\n`, refused: true },
  { name: 'two Hosts', request: get(`/${MARKER}`, 'Host: evil.example\r\n') },
  {
    name: 'HTTP/1.0 chunked',
    request: `POST /api/sessions HTTP/1.0\r\n${JSON_TYPE}Transfer-Encoding: chunked\r\nX-Marker: ${MARKER}\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
  },
  { name: 'an unknown Expect', request: get('/health', `Expect: ${MARKER}\r\n`), refused: true },
  {
    name: 'a WebSocket upgrade with a bad key',
    request: get(
      '/ws',
      `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${MARKER}\r\nSec-WebSocket-Version: 13\r\n`,
    ),
    refused: true,
  },
  {
    name: 'a WebSocket upgrade of another version',
    request: get(
      '/ws',
      `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: ${MARKER}\r\n`,
    ),
    refused: true,
  },
  {
    name: 'an upgrade to h2c',
    request: get(`/${MARKER}`, 'Upgrade: h2c\r\nConnection: Upgrade\r\n'),
    refused: true,
  },
];

const bodies: RawCase[] = [
  {
    name: 'a body of another type',
    request: `POST /api/sessions HTTP/1.1\r\n${HOST}Content-Type: text/${MARKER}\r\nContent-Length: 2\r\n\r\n{}`,
    refused: true,
  },
  {
    name: 'an unknown Content-Encoding',
    request: `${POST}Content-Encoding: ${MARKER}\r\nContent-Length: 2\r\n\r\n{}`,
    refused: true,
  },
  {
    name: 'a body that is not gzip',
    request: `${POST}Content-Encoding: gzip\r\nContent-Length: ${MARKER.length}\r\n\r\n${MARKER}`,
    refused: true,
  },
  {
    name: 'a body that is not JSON',
    request: `${POST}Content-Length: ${MARKER.length + 2}\r\n\r\n{${MARKER}x`,
    refused: true,
  },
  {
    name: 'a body past the limit',
    request: `${POST}Content-Length: 20000\r\n\r\n"${MARKER}${'x'.repeat(19_982)}"`,
    refused: true,
  },
];

const garbage: RawCase[] = [
  {
    name: 'a TLS ClientHello',
    request: `\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03${MARKER}`,
    refused: true,
  },
  { name: 'JSON alone', request: `{"${MARKER}":1}\r\n\r\n`, refused: true },
  { name: '64 KB of NULs', request: `${MARKER}${'\x00'.repeat(65_536)}`, refused: true },
  { name: 'blank lines only', request: '\r\n\r\n\r\n', halfClose: true, refused: true },
  { name: 'blank lines, then a request', request: `\r\n\r\n${get(`/${MARKER}`)}` },
];

export const RAW_CASES: RawCase[] = [
  ...badUrls,
  ...hugeHeaders,
  ...smuggling,
  ...methodsAndVersions,
  ...bodies,
  ...garbage,
];
