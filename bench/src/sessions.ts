// Buyer sessions minted up front through POST /api/sessions, with bounded concurrency, so that
// the scenarios send real signed tokens through real validation.
import { call, describe, stringField } from './http.js';
import { mapLimit } from './util.js';

export interface Session {
  sessionId: string;
  token: string;
}

const CONCURRENCY = 32;

export async function createSessions(
  baseUrl: string,
  count: number,
  timeoutMs = 120_000,
): Promise<Session[]> {
  const deadline = Date.now() + timeoutMs;
  const failures: string[] = [];
  const { results, timedOut } = await mapLimit(
    Array.from({ length: count }),
    CONCURRENCY,
    deadline,
    async () => {
      const reply = await call(baseUrl, 'POST', '/api/sessions');
      const sessionId = stringField(reply.body, 'sessionId');
      const token = stringField(reply.body, 'token');
      if (reply.status !== 201 || sessionId === undefined || token === undefined) {
        if (failures.length < 5) failures.push(describe(reply));
        return undefined;
      }
      return { sessionId, token };
    },
  );
  const sessions = results.filter((s): s is Session => s !== undefined);
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

  constructor(readonly sessions: readonly Session[]) {}

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
