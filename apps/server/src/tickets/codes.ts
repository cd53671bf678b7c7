// Ticket codes: a compact JWS (EdDSA over Ed25519) of { tid, eid, sid, iat }. Ed25519 signatures
// are deterministic and the payload is written in a fixed field order, so the same ticket always
// gets the same code: an order read again is signed again instead of storing its codes.
// Signing is on checkout's path: the JWS is put together here, byte for byte what jose's
// CompactSign makes (codes.test.ts checks it), with one synchronous node:crypto signature (~38 µs
// of CPU against ~72 µs through jose and WebCrypto's thread pool); jose verifies.
import { sign } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, type CryptoKey } from 'jose';
import { conforms, TicketClaims } from '@ticketmain/protocol';
import type { TicketKeyPair } from './keyring.js';

const decoder = new TextDecoder();

export function signTicket(key: TicketKeyPair, claims: TicketClaims): string {
  const { tid, eid, sid, iat } = claims;
  const payload = Buffer.from(JSON.stringify({ tid, eid, sid, iat })).toString('base64url');
  const input = `${protectedHeader(key.kid)}.${payload}`;
  const signature = sign(null, Buffer.from(input), key.signingKey).toString('base64url');
  return `${input}.${signature}`;
}

/** The encoded protected header, as jose serialises `{ alg, kid }`. */
function protectedHeader(kid: string): string {
  return Buffer.from(JSON.stringify({ alg: 'EdDSA', kid })).toString('base64url');
}

/**
 * The claims of a code whose signature verifies under the key its `kid` names; null for
 * anything else (junk, a changed byte, an unknown key). Failures to find a key are thrown.
 */
export async function readTicket(
  code: string,
  keyOf: (kid: string) => Promise<CryptoKey | undefined>,
): Promise<TicketClaims | null> {
  let kid: unknown;
  try {
    ({ kid } = decodeProtectedHeader(code));
  } catch {
    return null;
  }
  if (typeof kid !== 'string') return null;
  const key = await keyOf(kid);
  if (key === undefined) return null;
  let claims: unknown;
  try {
    const { payload } = await compactVerify(code, key, { algorithms: ['EdDSA'] });
    claims = JSON.parse(decoder.decode(payload));
  } catch {
    return null;
  }
  return conforms(TicketClaims, claims) ? claims : null;
}
