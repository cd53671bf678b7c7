// Ticket codes: a compact JWS (EdDSA over Ed25519) of { tid, eid, sid, iat }. Ed25519 signatures
// are deterministic and the payload is written in a fixed field order, so the same ticket always
// gets the same code: an order read again is signed again instead of storing its codes.
import { CompactSign, compactVerify, decodeProtectedHeader, type CryptoKey } from 'jose';
import { conforms, TicketClaims } from '@ticketmain/protocol';
import type { TicketKeyPair } from './keyring.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function signTicket(key: TicketKeyPair, claims: TicketClaims): Promise<string> {
  const { tid, eid, sid, iat } = claims;
  const payload = encoder.encode(JSON.stringify({ tid, eid, sid, iat }));
  return new CompactSign(payload)
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
    .sign(key.privateKey);
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
