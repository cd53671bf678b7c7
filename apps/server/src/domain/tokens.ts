// Session tokens: `<sessionId>.<expiresAtMs>.<hmac>`, signed with the server's secret (HMAC-SHA256)
// and checked in constant time, so a client can prove its session without any server-side lookup.
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

export interface Session {
  sessionId: string;
  expiresAt: number;
}

const SESSION_ID = /^[0-9a-f-]{36}$/;

/** Tokens remembered as valid; past this many the memory is simply cleared. */
const VERIFIED_CACHE_SIZE = 100_000;

export class TokenSigner {
  private readonly verified = new Map<string, Session>();

  constructor(
    private readonly secret: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(): { sessionId: string; token: string } {
    const sessionId = randomUUID();
    const payload = `${sessionId}.${this.now() + this.ttlMs}`;
    return { sessionId, token: `${payload}.${this.sign(payload)}` };
  }

  /** The session a token proves, or null for a forged, truncated or expired token. */
  verify(token: string): Session | null {
    // A buyer sends the same token with every click: an HMAC per request was ~5% of a hold's CPU.
    const known = this.verified.get(token);
    if (known !== undefined) return known.expiresAt > this.now() ? known : null;
    const session = this.check(token);
    if (session !== null) {
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
      this.verified.set(token, session);
    }
    return session;
  }

  private check(token: string): Session | null {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const [sessionId, expiry, signature] = parts as [string, string, string];
    if (!SESSION_ID.test(sessionId) || !/^\d{1,15}$/.test(expiry)) return null;
    const expected = Buffer.from(this.sign(`${sessionId}.${expiry}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const expiresAt = Number(expiry);
    if (expiresAt <= this.now()) return null;
    return { sessionId, expiresAt };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

/** SHA-256 of a secret: what is stored and compared instead of the secret itself. */
export function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares two secrets in the same time whatever they are (their digests have one length). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}
