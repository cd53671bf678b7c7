// One error handler for the whole API: every failure leaves as problem+json, a 5xx never leaks
// internals, and infrastructure outages (Redis, PostgreSQL unreachable) become 503 UNAVAILABLE.
import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply } from 'fastify';
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
};

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
    return errors.invalid(fastifyError.message ?? 'Invalid request');
  }
  return new AppError(ErrorCode.Internal, 'Something went wrong on our side');
}

export function sendProblem(reply: FastifyReply, error: AppError): FastifyReply {
  if (error.extra.retryAfterSeconds !== undefined) {
    void reply.header('retry-after', String(error.extra.retryAfterSeconds));
  }
  return reply.status(error.status).type(PROBLEM_CONTENT_TYPE).send(toProblem(error));
}

export default fp(
  async (app) => {
    app.setErrorHandler((error, request, reply) => {
      const appError = classify(error);
      if (appError.status === 503) request.log.warn({ err: error }, 'backing service unavailable');
      else if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.debug({ err: error }, 'request refused');
      return sendProblem(reply, appError);
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(
        reply,
        new AppError(
          ErrorCode.NotFound,
          `No route ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`,
        ),
      ),
    );
  },
  { name: 'errors' },
);
