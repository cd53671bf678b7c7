// Sealing of the ticket signing keys at rest: AES-256-GCM under a key derived (HKDF-SHA256) from
// SESSION_SECRET and bound to the key's id, so a copied row opens under no other id.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const INFO = 'ticketmain ticket signing key';
const IV_BYTES = 12;

function wrappingKey(secret: string, kid: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, kid, INFO, 32));
}

/** `v1.<iv>.<ciphertext>.<tag>`, base64url parts. */
export function seal(secret: string, kid: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey(secret, kid), iv);
  cipher.setAAD(Buffer.from(kid));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString('base64url'));
  return [VERSION, ...parts].join('.');
}

/** Throws when the secret or the id is not the one it was sealed with, or the text was changed. */
export function unseal(secret: string, kid: string, sealed: string): string {
  const [version, iv, ciphertext, tag, ...rest] = sealed.split('.');
  if (version !== VERSION || iv === undefined || ciphertext === undefined || tag === undefined) {
    throw new Error(`ticket key ${kid}: not a sealed key`);
  }
  if (rest.length > 0) throw new Error(`ticket key ${kid}: not a sealed key`);
  const decipher = createDecipheriv(
    'aes-256-gcm',
    wrappingKey(secret, kid),
    Buffer.from(iv, 'base64url'),
  );
  decipher.setAAD(Buffer.from(kid));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    const plain = [decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()];
    return Buffer.concat(plain).toString('utf8');
  } catch (cause) {
    throw new Error(
      `ticket key ${kid} does not open with this SESSION_SECRET (was the secret changed?)`,
      { cause },
    );
  }
}
