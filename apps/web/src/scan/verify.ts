// Offline check of a ticket code, for a gate whose network is down: the code's EdDSA signature
// under the cached key set (WebCrypto's Ed25519; jose's browser build is the same call underneath,
// so it would widen no browser's support), the event it is for, and the cached revocations. The
// answer is provisional: only the server knows whether another gate scanned the ticket already.
import { conforms, TicketClaims, type TicketKeySet } from '@ticketmain/protocol';

export type OfflineVerdict =
  { ok: true; claims: TicketClaims } | { ok: false; reason: 'invalid' | 'revoked' | 'unsupported' };

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export class OfflineVerifier {
  private readonly imported = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly keySet: TicketKeySet,
    private readonly eventId: string,
    private readonly revoked: ReadonlySet<string>,
    private readonly subtle: SubtleCrypto = globalThis.crypto.subtle,
  ) {}

  async verify(code: string): Promise<OfflineVerdict> {
    const parts = code.trim().split('.');
    if (parts.length !== 3) return { ok: false, reason: 'invalid' };
    const [header, payload, signature] = parts as [string, string, string];
    const head = parseJson(header);
    if (!isObject(head) || head.alg !== 'EdDSA' || typeof head.kid !== 'string') {
      return { ok: false, reason: 'invalid' };
    }
    const jwk = this.keySet.keys.find((key) => key.kid === head.kid);
    const signatureBytes = decodeBase64Url(signature);
    if (jwk === undefined || signatureBytes === null || signatureBytes.length !== 64) {
      return { ok: false, reason: 'invalid' };
    }
    let key: CryptoKey;
    try {
      key = await this.importKey(jwk.kid, jwk.x);
    } catch {
      // Ed25519 is missing from this browser's WebCrypto: nothing can be said offline.
      return { ok: false, reason: 'unsupported' };
    }
    const signed = encoder.encode(`${header}.${payload}`);
    const valid = await this.subtle.verify('Ed25519', key, signatureBytes, signed);
    if (!valid) return { ok: false, reason: 'invalid' };
    const claims = parseJson(payload);
    if (!conforms(TicketClaims, claims) || claims.eid !== this.eventId) {
      return { ok: false, reason: 'invalid' };
    }
    if (this.revoked.has(claims.tid)) return { ok: false, reason: 'revoked' };
    return { ok: true, claims };
  }

  private importKey(kid: string, x: string): Promise<CryptoKey> {
    let key = this.imported.get(kid);
    if (key === undefined) {
      key = this.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x }, 'Ed25519', false, [
        'verify',
      ]);
      // A failed import is not kept: the next scan tries again.
      key.catch(() => this.imported.delete(kid));
      this.imported.set(kid, key);
    }
    return key;
  }
}

function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!BASE64URL.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

function parseJson(part: string): unknown {
  const bytes = decodeBase64Url(part);
  if (bytes === null) return null;
  try {
    return JSON.parse(decoder.decode(bytes)) as unknown;
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
