import { describe, expect, it } from 'vitest';
import { TokenSigner } from './tokens.js';

describe('TokenSigner', () => {
  const secret = 'a-test-secret-of-at-least-32-characters';

  it("verifies its own tokens and no one else's", () => {
    const signer = new TokenSigner(secret, 60_000);
    const { sessionId, token } = signer.issue();
    expect(signer.verify(token)?.sessionId).toBe(sessionId);
    expect(signer.verify(token)?.sessionId).toBe(sessionId); // again, from the cache
    expect(new TokenSigner(`${secret}!`, 60_000).verify(token)).toBeNull();
    expect(signer.verify(token.slice(0, -1))).toBeNull();
    expect(signer.verify(`${token}x`)).toBeNull();
    expect(signer.verify('')).toBeNull();
  });

  it('refuses a token once it has expired, even one it verified before', () => {
    let now = 1_000_000;
    const signer = new TokenSigner(secret, 1_000, () => now);
    const { token } = signer.issue();
    expect(signer.verify(token)).not.toBeNull();
    now += 1_000;
    expect(signer.verify(token)).toBeNull();
  });
});
