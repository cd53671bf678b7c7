// The bench's setup and check calls (sessions, event creation and reset, fills, probes, /ready,
// /metrics): @ticketmain/client, whose replies are checked against the protocol's schemas. Load
// itself goes through autocannon (load.ts) and keep-alive raw HTTP (keepalive.ts) instead.
import { ApiError, MalformedResponse, TicketmainClient } from '@ticketmain/client';

/** A server the bench talks to: where it is, and its admin token. */
export interface ApiTarget {
  readonly url: string;
  readonly adminToken: string;
}

export interface ClientOf {
  /** A buyer's session token, for the routes of a session. */
  token?: string;
  /** Each request's time limit; default 10 s. */
  timeoutMs?: number;
}

const TIMEOUT_MS = 10_000;

export function clientOf(server: ApiTarget, options: ClientOf = {}): TicketmainClient {
  return new TicketmainClient({
    baseUrl: server.url,
    adminToken: server.adminToken,
    token: options.token,
    timeoutMs: options.timeoutMs ?? TIMEOUT_MS,
  });
}

/**
 * The call's reply, or the ApiError it was refused with: for the calls whose refusals a scenario
 * counts (a 409 hold). A call that got no answer, or a malformed one, still rejects.
 */
export async function orRefusal<T>(call: Promise<T>): Promise<T | ApiError> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
}

/** A failed call in one line, for a report: the status and the server's detail, or why not. */
export function failure(error: unknown): string {
  if (error instanceof ApiError) return `HTTP ${error.status}: ${error.detail}`;
  if (error instanceof MalformedResponse) {
    return error.mismatch === undefined ? error.message : `${error.message} (${error.mismatch})`;
  }
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}

/** A catch handler that says what the bench was doing: "creating the stadium: HTTP 400: …". */
export function rethrowAs(what: string): (error: unknown) => never {
  return (error) => {
    throw new Error(`${what}: ${failure(error)}`, { cause: error });
  };
}
