// The offline verifier against codes signed as the server signs them (jose's CompactSign makes
// the server's bytes exactly, apps/server/src/tickets/codes.test.ts): a good code, a changed
// byte, another event's code, an unknown key, a revoked ticket, and junk.
import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import type { TicketClaims, TicketKey } from '@ticketmain/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { OfflineVerifier } from './verify';

const EVENT = 'arena-demo';
const claims: TicketClaims = {
  tid: '5b1f8f3e-2c54-4a55-9d59-0c1f3e0e7a11',
  eid: EVENT,
  sid: 'C16',
  iat: 1_800_000_000,
};

async function keyPair(kid: string) {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const { x } = await exportJWK(pair.publicKey);
  const jwk: TicketKey = { kty: 'OKP', crv: 'Ed25519', x: x ?? '', kid, alg: 'EdDSA', use: 'sig' };
  const sign = (payload: object) =>
    new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .sign(pair.privateKey);
  return { jwk, sign };
}

describe('OfflineVerifier', () => {
  let signer: Awaited<ReturnType<typeof keyPair>>;
  let stranger: Awaited<ReturnType<typeof keyPair>>;
  let code: string;

  beforeAll(async () => {
    [signer, stranger] = await Promise.all([keyPair('k1'), keyPair('k2')]);
    code = await signer.sign(claims);
  });

  const verifier = (revoked: string[] = []) =>
    new OfflineVerifier({ keys: [signer.jwk] }, EVENT, new Set(revoked));

  it('accepts a code signed by a listed key for this event, with its claims', async () => {
    expect(await verifier().verify(code)).toEqual({ ok: true, claims });
    // A key set of several keys (after a rotation): the code's kid picks the key.
    const both = new OfflineVerifier({ keys: [stranger.jwk, signer.jwk] }, EVENT, new Set());
    expect(await both.verify(` ${code}\n`)).toEqual({ ok: true, claims });
  });

  it('refuses a changed payload, a changed signature and an unknown key', async () => {
    const [header, payload, signature] = code.split('.') as [string, string, string];
    const forged = btoa(JSON.stringify({ ...claims, sid: 'C17' }))
      .replace(/=+$/, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const v = verifier();
    expect(await v.verify(`${header}.${forged}.${signature}`)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await v.verify(`${header}.${payload}.${flipped}`)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    // Signed by a key the cached set does not list (and the stranger's kid is not listed either).
    expect(await v.verify(await stranger.sign(claims))).toEqual({ ok: false, reason: 'invalid' });
  });

  it("refuses another event's code and a revoked ticket", async () => {
    const other = await signer.sign({ ...claims, eid: 'stadium-demo' });
    expect(await verifier().verify(other)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifier([claims.tid]).verify(code)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('refuses junk without throwing', async () => {
    const v = verifier();
    for (const junk of ['', 'junk', 'a.b.c', '..', '{}', `${code}.x`, 'é.é.é', 'x'.repeat(5_000)]) {
      expect(await v.verify(junk)).toEqual({ ok: false, reason: 'invalid' });
    }
    // A well-formed header and signature around a payload that is not the claims.
    const notClaims = await signer.sign({ hello: 'world' });
    expect(await v.verify(notClaims)).toEqual({ ok: false, reason: 'invalid' });
  });
});
