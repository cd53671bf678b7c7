// Fuzzing the public surface with fast-check: thousands of malformed bodies, paths, query
// strings, headers, seat ids and WebSocket frames, and raw HTTP over TCP that no client would
// send (raw-requests.ts, then random bytes). Never a 5xx, never a crash, always problem+json (or
// a closed connection), never the request echoed, and nothing written.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Client } from '../support/client.js';
import { rawExchange, type RawAnswer } from '../support/raw-http.js';
import { startServer, type TestServer } from '../support/server.js';
import { ECHO, MARKER, RAW_CASES } from './raw-requests.js';

const EVENT = 'arena-demo';

/**
 * A real seat of the demo arena (a row letter or two and a number, e.g. "A1"): short random
 * strings hit one now and then, and a well-formed hold of a real seat rightly succeeds.
 */
const SEAT_LIKE = /^[A-Z]{1,2}[0-9]{1,2}$/;

/** Strings that have broken naive servers: globs, Lua and SQL fragments, unicode, huge. */
const nasty = fc.oneof(
  fc.string().filter((s) => !SEAT_LIKE.test(s)),
  fc.string({ unit: 'grapheme', maxLength: 80 }).filter((s) => !SEAT_LIKE.test(s)),
  fc.constantFrom(
    '*',
    '{}',
    '{ev:arena-demo}',
    '[a-z]*',
    '?',
    "'; DROP TABLE tickets; --",
    '" OR 1=1 --',
    'redis.call("FLUSHALL")',
    ']]--',
    '\\u0000',
    '\u0000',
    '../../etc/passwd',
    '%00',
    'A1\nA2',
    '🎫',
    'x'.repeat(70),
    'A'.repeat(5_000),
  ),
);

/** Raw requests at once: enough to overlap, few enough for two shared cores. */
const RAW_CONCURRENCY = 6;

/**
 * An answer to a raw request: problem+json for a refusal, never a 5xx, never the marker; either
 * some response or a closed connection. `refused`: nothing below 400, and no second response.
 */
function expectSafe(name: string, answer: RawAnswer, refused: boolean): void {
  expect(ECHO.test(answer.text), `${name}: the answer echoes the request`).toBe(false);
  expect(answer.responses.length > 0 || answer.closed, `${name}: no answer, still open`).toBe(true);
  expect(answer.text === '' || answer.responses.length > 0, `${name}: not HTTP`).toBe(true);
  for (const response of answer.responses) {
    expect(response.status, name).toBeLessThan(500);
    if (refused) expect(response.status, name).toBeGreaterThanOrEqual(400);
    if (response.status >= 400) {
      expect(response.headers['content-type'], name).toContain('application/problem+json');
      expect((JSON.parse(response.body) as { status: number }).status, name).toBe(response.status);
    }
  }
  if (refused) expect(answer.responses.length, `${name}: a smuggled answer`).toBeLessThanOrEqual(1);
}

/** Random bytes, and request lines and headers of random text, each with the marker in them. */
const rawNoise = fc.oneof(
  fc
    .uint8Array({ maxLength: 600 })
    .map((bytes) => Buffer.concat([Buffer.from(MARKER), Buffer.from(bytes)])),
  fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'BREW', ''),
      path: fc.string({ unit: 'binary', maxLength: 40 }),
      name: fc.string({ unit: 'binary', maxLength: 20 }),
      value: fc.string({ unit: 'binary', maxLength: 40 }),
    })
    .map(({ method, path, name, value }) =>
      Buffer.from(
        `${method} /${MARKER}${path} HTTP/1.1\r\nHost: localhost\r\n${name}: ${value}\r\n\r\n`,
      ),
    ),
);

const jsonish = fc
  .oneof(
    fc.jsonValue(),
    fc.record({ seatIds: fc.array(nasty, { maxLength: 12 }) }),
    fc.record({ seatIds: fc.anything() }),
    fc.record({ seatIds: fc.array(fc.anything(), { maxLength: 5 }), extra: fc.anything() }),
  )
  .filter((value) => !/"[A-Z]{1,2}[0-9]{1,2}"/.test(JSON.stringify(value) ?? ''));

describe('fuzzing (services)', () => {
  let server: TestServer;
  let token: string;
  let seqBefore: number;
  beforeAll(async () => {
    // Every fuzzed frame is to reach the parser: the limit that closes a client after a few
    // invalid messages a second (ws-abuse.test.ts) is lifted here.
    server = await startServer('services', { env: { WS_MAX_INVALID_PER_SECOND: '1000000' } });
    const buyer = await Client.session(server.url);
    token = buyer.token!;
    seqBefore = (await buyer.seats(EVENT)).body.seq;
  });
  afterAll(() => server.close());

  const expectProblem = (response: { statusCode: number; headers: Record<string, unknown> }) => {
    expect(response.statusCode).toBeLessThan(500);
    if (response.statusCode >= 400) {
      expect(String(response.headers['content-type'])).toContain('application/problem+json');
    }
  };

  it('bodies and seat ids', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('holds', 'orders'),
        fc.oneof(
          jsonish.map((v) => JSON.stringify(v)),
          nasty,
        ),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', ''),
        fc.option(nasty),
        async (route, payload, contentType, key) => {
          const headers: Record<string, string> = { authorization: `Bearer ${token}` };
          if (contentType !== '') headers['content-type'] = contentType;
          if (key !== null) headers['idempotency-key'] = key.replace(/[\r\n]/g, '');
          const response = await server.app.inject({
            method: 'POST',
            url: `/api/events/${EVENT}/${route}`,
            headers,
            payload,
          });
          expectProblem(response);
          // Nothing random ever names seats of the arena and passes every rule at once.
          expect(response.statusCode).not.toBe(201);
        },
      ),
      { numRuns: 1_500 },
    );
  });

  it('paths, query strings and headers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS'),
        fc.array(nasty, { minLength: 1, maxLength: 4 }),
        fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), nasty, { maxKeys: 3 }),
        fc.oneof(
          nasty,
          fc.constant(`Bearer ${token}`),
          nasty.map((t) => `Bearer ${t}`),
        ),
        async (method, segments, query, authorization) => {
          const path = ['api', ...segments].map((s) => encodeURIComponent(s)).join('/');
          const search = new URLSearchParams(query).toString();
          const response = await server.app.inject({
            method: method as 'GET',
            url: `/${path}${search ? `?${search}` : ''}`,
            headers: { authorization: authorization.replace(/[\r\n]/g, '') },
          });
          expectProblem(response);
        },
      ),
      { numRuns: 1_500 },
    );
  });

  it('WebSocket frames', async () => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/ws`);
    const frames: string[] = [];
    socket.on('message', (data) => frames.push(data.toString()));
    await new Promise((resolve) => socket.once('open', resolve));
    const samples = fc.sample(
      fc.oneof(
        jsonish.map((v) => JSON.stringify(v)),
        fc
          .record({ type: fc.constantFrom('subscribe', 'unsubscribe', 'resync'), eventId: nasty })
          .map((v) => JSON.stringify(v)),
        nasty,
      ),
      { numRuns: 1_000, seed: 7 },
    );
    const small = samples.filter((text) => Buffer.byteLength(text) < 4_000);
    // In bursts a client could really send; a burst past the queue limit is refused, not queued.
    for (let i = 0; i < small.length; i += 40) {
      for (const text of small.slice(i, i + 40)) socket.send(text);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    socket.send(Buffer.from([0, 159, 146, 150]), { binary: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.send('{"type":"subscribe","eventId":"arena-demo"}');
    const deadline = Date.now() + 10_000;
    while (!frames.some((f) => f.includes('"snapshot"')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(frames.some((f) => f.includes('"snapshot"'))).toBe(true);
    for (const frame of frames) {
      const message = JSON.parse(frame) as { type: string; code?: string };
      expect(['hello', 'snapshot', 'error']).toContain(message.type);
      if (message.type === 'error') expect(message.code).not.toBe('INTERNAL');
    }
    socket.close();
  });

  it('raw HTTP: bad URLs, huge headers, smuggling, bad methods and versions, garbage', async () => {
    const port = Number(new URL(server.url).port);
    for (let i = 0; i < RAW_CASES.length; i += RAW_CONCURRENCY) {
      await Promise.all(
        RAW_CASES.slice(i, i + RAW_CONCURRENCY).map(
          async ({ name, request, refused, halfClose }) => {
            const answer = await rawExchange(port, Buffer.from(request, 'latin1'), { halfClose });
            expectSafe(name, answer, refused === true);
          },
        ),
      );
    }
  });

  it('raw HTTP: random bytes, random request lines and headers', async () => {
    const port = Number(new URL(server.url).port);
    await fc.assert(
      fc.asyncProperty(rawNoise, async (request) => {
        // Ended after the bytes: whatever they are, the server does not wait for more.
        const answer = await rawExchange(port, request, { halfClose: true });
        expectSafe(request.toString('latin1').slice(0, 80), answer, false);
      }),
      { numRuns: 300, seed: 20_251 },
    );
  });

  it('wrote nothing', async () => {
    const snapshot = await new Client(server.url, token).seats(EVENT);
    expect(snapshot.body.seq).toBe(seqBefore);
    const orders = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
    expect(orders[0]!.n).toBe(0);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});
