// One error handler for the whole API: every failure leaves as problem+json, a 5xx never leaks
// internals, and infrastructure outages (Redis, PostgreSQL unreachable) become 503 UNAVAILABLE.
// No answer repeats the request: the messages of Fastify, its plugins and Node's HTTP parser
// (which quote the URL, a header or the body) are replaced by the catalogue's own sentences.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import fp from 'fastify-plugin';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify';
import { ErrorCode, PROBLEM_CONTENT_TYPE } from '@ticketmain/protocol';
import { AppError, errors, toProblem } from '../domain/errors.js';

const FASTIFY_CODES: Record<string, () => AppError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () =>
    new AppError(ErrorCode.PayloadTooLarge, 'The request body is too large'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new AppError(ErrorCode.UnsupportedMediaType, 'Send the body as application/json'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => errors.invalid('Invalid Content-Length'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => errors.invalid('The JSON body is empty'),
  FST_ERR_CTP_INVALID_JSON_BODY: () => errors.invalid('The body is not valid JSON'),
  // The router's: a %-escape that does not decode, a path parameter past maxParamLength.
  FST_ERR_BAD_URL: () => errors.invalid('The URL is not valid'),
  FST_ERR_MAX_PARAM_LENGTH: () =>
    new AppError(ErrorCode.UriTooLong, 'A part of the URL is too long'),
  // @fastify/compress, for a compressed request body.
  FST_CP_ERR_INVALID_CONTENT_ENCODING: () =>
    new AppError(ErrorCode.UnsupportedMediaType, 'Send the body uncompressed, gzip or deflate'),
  FST_CP_ERR_INVALID_CONTENT: () => errors.invalid('The body could not be decompressed'),
};

/** Other refusals by Fastify or a plugin, by status: their own messages may quote the request. */
function refusalOf(status: number): AppError {
  if (status === 413) return new AppError(ErrorCode.PayloadTooLarge, 'The request is too large');
  if (status === 415) {
    return new AppError(ErrorCode.UnsupportedMediaType, 'The body is not of a type accepted here');
  }
  return errors.invalid('The request is malformed');
}

// Errors that mean a backing service is unreachable or dropped the connection, not a bug.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown (pg_terminate_backend)
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '53300', // too_many_connections
  '57014', // query_canceled (statement timeout)
]);
const UNAVAILABLE_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);
const UNAVAILABLE_MESSAGES = [
  'Connection is closed',
  'Connection terminated',
  "Stream isn't writeable",
  'Command timed out',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
];

export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  if (UNAVAILABLE_NAMES.has(error.name)) return true;
  return UNAVAILABLE_MESSAGES.some((m) => error.message.includes(m));
}

/** Turns anything thrown into the AppError the client is told about. */
export function classify(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation !== undefined) {
    return errors.invalid(fastifyError.message ?? 'Invalid request');
  }
  const known =
    typeof fastifyError.code === 'string' ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known !== undefined) return known();
  if (isUnavailable(error)) return errors.unavailable();
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode < 500) {
    return refusalOf(fastifyError.statusCode);
  }
  return new AppError(ErrorCode.Internal, 'Something went wrong on our side');
}

export function sendProblem(reply: FastifyReply, error: AppError): FastifyReply {
  if (error.extra.retryAfterSeconds !== undefined) {
    void reply.header('retry-after', String(error.extra.retryAfterSeconds));
  }
  return reply.status(error.status).type(PROBLEM_CONTENT_TYPE).send(toProblem(error));
}

/**
 * Fastify's frameworkErrors: the router's refusals (a bad %-escape, an over-long path parameter),
 * which Fastify would otherwise answer itself, quoting the path.
 */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) => {
  request.log.debug({ err: error }, 'request refused by the router');
  void sendProblem(reply, classify(error));
};

/** What Node's HTTP parser refused, by its code; anything else is a 400. */
const CLIENT_ERRORS: Record<string, () => AppError> = {
  HPE_HEADER_OVERFLOW: () =>
    new AppError(ErrorCode.HeadersTooLarge, 'The request line and headers are too large'),
  HPE_CHUNK_EXTENSIONS_OVERFLOW: () =>
    new AppError(ErrorCode.PayloadTooLarge, 'The chunk extensions are too large'),
  ERR_HTTP_REQUEST_TIMEOUT: () =>
    new AppError(ErrorCode.RequestTimeout, 'The request took too long to arrive'),
};

/** Headers of a problem written outside Fastify: it ends the connection. */
function rawHeaders(body: string): Record<string, string> {
  return {
    'Content-Type': PROBLEM_CONTENT_TYPE,
    'Content-Length': String(Buffer.byteLength(body)),
    'X-Content-Type-Options': 'nosniff',
    Connection: 'close',
  };
}

/**
 * Answers `error` on a socket no HTTP response owns (one the parser or the WebSocket handshake
 * refused), then destroys it once the answer is handed to the kernel: nothing else may follow.
 */
export function refuseOnSocket(socket: Duplex, error: AppError): void {
  const body = JSON.stringify(toProblem(error));
  const head = Object.entries(rawHeaders(body)).map(([name, value]) => `${name}: ${value}\r\n`);
  const statusLine = `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n`;
  socket.end(`${statusLine}${head.join('')}\r\n${body}`, () => socket.destroy());
}

/**
 * Fastify's clientErrorHandler (the http server's clientError event): a request Node's parser
 * refused (a malformed line or header, smuggling, headers past maxHeaderSize, a timeout). Like
 * Node's own handler it answers only when no response has started on the socket (a pipelined
 * request's would be corrupted), and unlike it, and Fastify's, in problem+json.
 */
export function clientErrorHandler(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: Socket,
): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const refusal = CLIENT_ERRORS[error.code ?? '']?.() ?? errors.invalid('The request is malformed');
  // Not the error itself: its rawPacket is the request as it came.
  this.log.debug({ code: error.code, status: refusal.status }, 'request refused by the parser');
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent: boolean } })._httpMessage;
  if (!socket.writable || inFlight?.headersSent === true) {
    socket.destroy();
    return;
  }
  refuseOnSocket(socket, refusal);
}

/**
 * The http server's checkExpectation: an Expect other than 100-continue, which Node would refuse
 * with an empty 417.
 */
function refuseExpectation(_request: IncomingMessage, response: ServerResponse): void {
  const body = JSON.stringify(
    toProblem(new AppError(ErrorCode.ExpectationFailed, 'Only Expect: 100-continue is understood')),
  );
  response.writeHead(417, rawHeaders(body)).end(body);
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Answers a request no route matched instead of the problem+json 404, when it returns true
     * (the web plugin serves the app's own not-found page to browsers).
     */
    notFoundPage: ((request: FastifyRequest, reply: FastifyReply) => boolean) | null;
  }
}

export default fp(
  async (app) => {
    app.decorate('notFoundPage', null);
    app.setErrorHandler((error, request, reply) => {
      const appError = classify(error);
      if (appError.status === 503) request.log.warn({ err: error }, 'backing service unavailable');
      else if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.debug({ err: error }, 'request refused');
      return sendProblem(reply, appError);
    });
    app.setNotFoundHandler((request, reply) => {
      if (app.notFoundPage?.(request, reply) === true) return reply;
      return sendProblem(reply, errors.noRoute());
    });
    app.server.on('checkExpectation', refuseExpectation);
    // RFC 9112 §3.2: an HTTP/1.1 request without Host is refused (in place of Node's own check,
    // switched off in app.ts because it answers an empty 400).
    app.addHook('onRequest', (request, _reply, done) =>
      done(
        request.raw.httpVersion === '1.1' && request.headers.host === undefined
          ? errors.invalid('An HTTP/1.1 request needs a Host header')
          : undefined,
      ),
    );
  },
  { name: 'errors' },
);
