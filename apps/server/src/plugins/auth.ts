// Who is asking: buyer sessions from signed bearer tokens, and the admin token for admin routes.
import { timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { errors, type AppError } from '../domain/errors.js';
import { digest, type Session, type TokenSigner } from '../domain/tokens.js';

declare module 'fastify' {
  interface FastifyInstance {
    signer: TokenSigner;
    /** preHandler: 401 unless the request carries a valid session token. */
    requireSession: SessionHook;
    /** preHandler: reads a session token if one is sent (401 if it is invalid). */
    optionalSession: SessionHook;
    /** preHandler: 404 when no ADMIN_TOKEN is configured, 401 unless it is sent. */
    requireAdmin: (request: FastifyRequest) => Promise<void>;
    /** True when the request's bearer token is the configured ADMIN_TOKEN. */
    isAdmin: (request: FastifyRequest) => boolean;
    /** The metrics token or the admin token; a route without either configured is 404. */
    requireOperator: (request: FastifyRequest) => Promise<void>;
    /**
     * The session of the request's bearer token, verified once per request whoever asks first
     * (the rate limiter before the route's own check): null without a token or with a bad one.
     */
    sessionOf: (request: FastifyRequest) => Session | null;
  }
  interface FastifyRequest {
    buyer: Session | null;
    /** sessionOf's answer once it was asked; undefined before. */
    bearerSession: Session | null | undefined;
  }
}

/**
 * A callback-style hook: on the path of every hold and order, and a token check needs no await,
 * so no promise is made per request for it.
 */
type SessionHook = (
  request: FastifyRequest,
  reply: FastifyReply,
  done: HookHandlerDoneFunction,
) => void;

export interface AuthOptions {
  signer: TokenSigner;
  adminToken: string | undefined;
  metricsToken?: string | undefined;
}

/** The bearer token of the request; '' for a malformed Authorization header, undefined without. */
export function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer ([\x21-\x7E]{1,512})$/.exec(header);
  return match?.[1] ?? '';
}

export default fp<AuthOptions>(
  async (app, { signer, adminToken, metricsToken }) => {
    app.decorate('signer', signer);
    app.decorateRequest('buyer', null);
    app.decorateRequest('bearerSession', undefined);

    const sessionOf = (request: FastifyRequest): Session | null => {
      if (request.bearerSession === undefined) {
        const token = bearer(request);
        request.bearerSession = token === undefined ? null : signer.verify(token);
      }
      return request.bearerSession;
    };
    app.decorate('sessionOf', sessionOf);

    const readSession = (request: FastifyRequest, required: boolean): AppError | undefined => {
      if (bearer(request) === undefined) return required ? errors.unauthenticated() : undefined;
      const session = sessionOf(request);
      if (session === null)
        return errors.unauthenticated('The session token is invalid or expired');
      request.buyer = session;
      return undefined;
    };
    const sessionHook =
      (required: boolean): SessionHook =>
      (request, _reply, done) =>
        done(readSession(request, required));
    app.decorate('requireSession', sessionHook(true));
    app.decorate('optionalSession', sessionHook(false));

    /** Whether the request's bearer token is among `accepted` (none configured: never). */
    const matcher = (accepted: (string | undefined)[]) => {
      const digests = accepted.flatMap((t) => (t === undefined ? [] : [digest(t)]));
      return (request: FastifyRequest): boolean => {
        const token = bearer(request);
        const given = token === undefined ? undefined : digest(token);
        // Every digest is compared, so the time taken does not tell which token matched.
        let ok = false;
        for (const d of digests) if (given !== undefined && timingSafeEqual(given, d)) ok = true;
        return ok;
      };
    };
    /** A hook that lets through a bearer token among `accepted`; none configured: 404. */
    const requireToken = (accepted: (string | undefined)[], what: string) => {
      const matches = matcher(accepted);
      const configured = accepted.some((t) => t !== undefined);
      return async (request: FastifyRequest) => {
        // As for a path without a route: nothing tells that the route exists.
        if (!configured) throw errors.noRoute();
        if (!matches(request)) throw errors.unauthenticated(`A valid ${what} token is required`);
      };
    };
    app.decorate('isAdmin', matcher([adminToken]));
    app.decorate('requireAdmin', requireToken([adminToken], 'admin'));
    app.decorate('requireOperator', requireToken([metricsToken, adminToken], 'metrics'));
  },
  { name: 'auth', dependencies: ['errors'] },
);

/** The session of a request that passed requireSession. */
export function buyerOf(request: FastifyRequest): Session {
  if (request.buyer === null) throw errors.unauthenticated();
  return request.buyer;
}
