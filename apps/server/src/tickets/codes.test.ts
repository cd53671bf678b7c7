import { KeyObject, randomUUID } from 'node:crypto';
import { CompactSign, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { readTicket, signTicket } from './codes.js';
import type { TicketKeyPair } from './keyring.js';

async function keyPair(kid: string): Promise<TicketKeyPair> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const publicJwk = { kty: 'OKP', crv: 'Ed25519', x: '', kid, alg: 'EdDSA', use: 'sig' } as const;
  const signingKey = KeyObject.from(privateKey);
  return {
    generation: 1,
    kid,
    publicJwk,
    privateKey,
    signingKey,
    publicKey: KeyObject.from(publicKey),
  };
}

describe('ticket codes', () => {
  const claims = { tid: randomUUID(), eid: 'ev-1', sid: 'A-1', iat: 1_900_000_000 };

  it("makes exactly jose's CompactSign code", async () => {
    const key = await keyPair('k1');
    const payload = new TextEncoder().encode(JSON.stringify(claims));
    const made = await new CompactSign(payload)
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
      .sign(key.privateKey);
    expect(signTicket(key, claims)).toBe(made);
  });

  it('signs the same claims into the same code, which reads back', async () => {
    const key = await keyPair('k1');
    const code = signTicket(key, claims);
    expect(signTicket(key, { ...claims })).toBe(code);
    expect(code.split('.')).toHaveLength(3);
    expect(
      await readTicket(code, async (kid) => (kid === 'k1' ? key.publicKey : undefined)),
    ).toEqual(claims);
  });

  it('reads junk, a changed code and an unknown or other key as null', async () => {
    const key = await keyPair('k1');
    const other = await keyPair('k1');
    const code = signTicket(key, claims);
    const [header, payload, signature] = code.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...claims, sid: 'A-2' })).toString('base64url');
    const keyOf = async (kid: string) => (kid === 'k1' ? key.publicKey : undefined);
    for (const bad of ['', 'junk', 'a.b.c', `${header}.${forged}.${signature}`, `${code}x`]) {
      expect(await readTicket(bad, keyOf)).toBeNull();
    }
    expect(await readTicket(signTicket(other, claims), keyOf)).toBeNull();
    expect(await readTicket(code, async () => undefined)).toBeNull();
    expect(payload).not.toBe('');
  });

  it('refuses a code signed by the key under another protected header than its own', async () => {
    const key = await keyPair('k1');
    const payload = new TextEncoder().encode(JSON.stringify(claims));
    const keyOf = async (kid: string) => (kid === 'k1' ? key.publicKey : undefined);
    for (const header of [
      { kid: 'k1', alg: 'EdDSA' },
      { alg: 'EdDSA', kid: 'k1', typ: 'JWT' },
    ]) {
      const code = await new CompactSign(payload).setProtectedHeader(header).sign(key.privateKey);
      expect(await readTicket(code, keyOf)).toBeNull();
    }
  });

  it('refuses a signed payload that is not ticket claims', async () => {
    const key = await keyPair('k1');
    const code = signTicket(key, { ...claims, tid: 'not-a-uuid' });
    expect(await readTicket(code, async () => key.publicKey)).toBeNull();
  });
});
