// The buyer's anonymous session: minted once by POST /api/sessions, kept in local storage, and
// replaced only when the server stops accepting its token.
import type { SessionCreated } from '@ticketmain/protocol';
import type { KeyValueStorage } from './storage';
import { loadSession, saveSession } from './storage';

export interface TokenSource {
  token(): Promise<string>;
  /** A new token after the server refused `stale`; concurrent callers share one renewal. */
  renew(stale: string): Promise<string>;
}

export class SessionManager implements TokenSource {
  private current: SessionCreated | null;
  private creating: Promise<SessionCreated> | null = null;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly create: () => Promise<SessionCreated>,
  ) {
    this.current = loadSession(storage);
  }

  async token(): Promise<string> {
    return this.current?.token ?? (await this.mint()).token;
  }

  /**
   * This session's id, minting a session first if there is none. Only ever hashed into the
   * waiting room's proof of work (which the server checks against the token's session): never
   * sent on its own.
   */
  async sessionId(): Promise<string> {
    return (this.current ?? (await this.mint())).sessionId;
  }

  async renew(stale: string): Promise<string> {
    if (this.current !== null && this.current.token !== stale) return this.current.token;
    this.current = null;
    return (await this.mint()).token;
  }

  private mint(): Promise<SessionCreated> {
    this.creating ??= this.create().then(
      (session) => {
        this.current = session;
        this.creating = null;
        saveSession(this.storage, session);
        return session;
      },
      (error: unknown) => {
        this.creating = null;
        throw error;
      },
    );
    return this.creating;
  }
}
