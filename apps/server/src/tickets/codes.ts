// Ticket codes: a compact JWS (EdDSA over Ed25519) of { tid, eid, sid, iat }. Ed25519 signatures
// are deterministic and the payload is written in a fixed field order, so the same ticket always
// gets the same code: an order read again is signed again instead of storing its codes.
// Signing is on checkout's path: the JWS is put together here, byte for byte what jose's
// CompactSign makes (codes.test.ts checks it), with one synchronous node:crypto signature (~38 µs
// of CPU against ~72 µs through jose and WebCrypto's thread pool). Verifying is on every scan's
// path, so it is done the same way: one synchronous node:crypto verify with the key object the
// keyring imported once, instead of jose's compactVerify (WebCrypto, a thread-pool hop per code).
import { sign, verify, type KeyObject } from 'node:crypto';
import { conforms, TicketClaims } from '@ticketmain/protocol';
import type { TicketKeyPair } from './keyring.js';

/** An Ed25519 signature: 64 bytes. */
const SIGNATURE_BYTES = 64;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

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
 * The protected header must be the one signTicket writes for its kid, byte for byte (every code
 * is made by signTicket, or by jose's CompactSign before it, which wrote the same bytes): that
 * pins the algorithm to EdDSA and leaves no header parameter (crit, b64) to interpret.
 */
export async function readTicket(
  code: string,
  keyOf: (kid: string) => Promise<KeyObject | undefined>,
): Promise<TicketClaims | null> {
  const parts = code.split('.');
  if (parts.length !== 3) return null;
  const [header = '', payload = '', signature = ''] = parts;
  const kid = headerKid(header);
  if (kid === null || !BASE64URL.test(signature)) return null;
  const key = await keyOf(kid);
  if (key === undefined) return null;
  const bytes = Buffer.from(signature, 'base64url');
  if (bytes.length !== SIGNATURE_BYTES) return null;
  let claims: unknown;
  try {
    if (!verify(null, Buffer.from(`${header}.${payload}`), key, bytes)) return null;
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  } catch {
    return null;
  }
  return conforms(TicketClaims, claims) ? claims : null;
}

/** The kid of an encoded protected header exactly as signTicket writes it; null otherwise. */
function headerKid(header: string): string | null {
  if (!BASE64URL.test(header)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(header, 'base64url').toString());
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || !('kid' in parsed)) return null;
  const { kid } = parsed;
  return typeof kid === 'string' && protectedHeader(kid) === header ? kid : null;
}
