// What the buyer is told when a call fails, and whether its outcome is known: a refusal has a
// status and a problem code; an unanswered call, or a reply outside the contract (MalformedResponse),
// has status null.
import { ApiError, NetworkError } from '@ticketmain/client';

export interface Failure {
  /** The HTTP status of a refusal; null when no (readable) answer came. */
  status: number | null;
  code: string;
  /** A sentence for the buyer. */
  detail: string;
  seats: readonly string[];
  /** The general-admission sections a refusal is about (SEAT_UNAVAILABLE). */
  sections?: readonly string[];
}

export function describeFailure(error: unknown): Failure {
  if (error instanceof ApiError) {
    const { status, code, detail, seats, sections } = error;
    return { status, code, detail, seats, ...(sections.length > 0 && { sections }) };
  }
  if (error instanceof NetworkError) {
    return { status: null, code: 'NETWORK', detail: error.message, seats: [] };
  }
  const detail = error instanceof Error ? error.message : 'Something went wrong.';
  return { status: null, code: 'CLIENT', detail, seats: [] };
}
