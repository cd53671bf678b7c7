// The three ways a call fails: the server refused it (ApiError, with its problem+json), no answer
// came (NetworkError), or the answer is not what the contract says (MalformedResponse).
import { conforms, Problem } from '@ticketmain/protocol';

/** A refusal: an HTTP error status, with the problem+json the server sent (if it sent one). */
export class ApiError extends Error {
  readonly status: number;
  /** The problem's code (ErrorCode), or UNKNOWN for an error reply that is not problem+json. */
  readonly code: string;
  readonly detail: string;
  /** The seats the refusal is about (SEAT_UNAVAILABLE, SEAT_NOT_HELD...); empty if none. */
  readonly seats: readonly string[];
  /** The general-admission sections a SEAT_UNAVAILABLE is about; empty if none. */
  readonly sections: readonly string[];
  /** The whole problem+json body; undefined when the reply was something else (a proxy's page). */
  readonly problem: Problem | undefined;

  constructor(status: number, problem: Problem | undefined) {
    const detail = problem?.detail ?? `The server answered ${status}. Please try again.`;
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem?.code ?? 'UNKNOWN';
    this.detail = detail;
    this.seats = problem?.seats ?? [];
    this.sections = problem?.sections ?? [];
    this.problem = problem;
  }

  static of(status: number, body: unknown): ApiError {
    return new ApiError(status, conforms(Problem, body) ? body : undefined);
  }
}

/** The request got no answer: the server is unreachable, the connection dropped, or it timed out. */
export class NetworkError extends Error {
  constructor(options: { cause: unknown }) {
    super('The server could not be reached. Check your connection.', options);
    this.name = 'NetworkError';
  }
}

/** A success reply whose body is not what the contract describes. */
export class MalformedResponse extends Error {
  constructor(
    /** What was expected: "order", "seat snapshot"... */
    readonly what: string,
    readonly status: number,
    /** Where the body first departs from the schema, for logs ("/seats/0/price: Expected integer"). */
    readonly mismatch: string | undefined,
  ) {
    super(`The server sent a malformed ${what}`);
    this.name = 'MalformedResponse';
  }
}
