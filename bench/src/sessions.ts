// Buyer sessions minted up front through POST /api/sessions, with bounded concurrency, so that
// the scenarios send real signed tokens through real validation.
import type { SessionCreated } from '@ticketmain/client';
import { clientOf, failure, type ApiTarget } from './api.js';
import { mapLimit } from './util.js';

const CONCURRENCY = 32;

export async function createSessions(
  server: ApiTarget,
  count: number,
  timeoutMs = 120_000,
): Promise<SessionCreated[]> {
  const api = clientOf(server);
  const deadline = Date.now() + timeoutMs;
  const failures: string[] = [];
  const { results, timedOut } = await mapLimit(
    Array.from({ length: count }),
    CONCURRENCY,
    deadline,
    (): Promise<SessionCreated | undefined> =>
      api.createSession().catch((error: unknown) => {
        if (failures.length < 5) failures.push(failure(error));
        return undefined;
      }),
  );
  const sessions = results.filter((s): s is SessionCreated => s !== undefined);
  if (sessions.length < count) {
    const why = timedOut ? `timed out after ${timeoutMs / 1000} s` : failures.join('; ');
    throw new Error(`created ${sessions.length} of ${count} sessions: ${why}`);
  }
  return sessions;
}

/** Hands out sessions round-robin, skipping the busy ones (a session with a request or a hold
 *  in flight), so that one session never races itself unless a scenario wants it to. */
export class SessionRing {
  private cursor = 0;
  private readonly busy = new Set<number>();

  constructor(readonly sessions: readonly SessionCreated[]) {}

  /** The index of the next idle session, marked busy; undefined if all are busy. */
  take(): number | undefined {
    for (let tries = 0; tries < this.sessions.length; tries++) {
      const index = this.cursor;
      this.cursor = (this.cursor + 1) % this.sessions.length;
      if (!this.busy.has(index)) {
        this.busy.add(index);
        return index;
      }
    }
    return undefined;
  }

  free(index: number): void {
    this.busy.delete(index);
  }

  token(index: number): string {
    const session = this.sessions[index];
    if (session === undefined) throw new RangeError(`no session ${index}`);
    return session.token;
  }

  sessionId(index: number): string {
    return this.sessions[index]?.sessionId ?? '';
  }
}
