// Sealing of secrets at rest (the ticket signing keys, the webhook signing secrets): AES-256-GCM
// under a key derived (HKDF-SHA256) from SESSION_SECRET and bound to the row's id, so a copied row
// opens under no other id. `info` separates the uses: a sealed value of one never opens as another.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const INFO = 'ticketmain ticket signing key';
const IV_BYTES = 12;

function wrappingKey(secret: string, kid: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, kid, info, 32));
}

/** `v1.<iv>.<ciphertext>.<tag>`, base64url parts. */
export function seal(secret: string, kid: string, plaintext: string, info = INFO): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey(secret, kid, info), iv);
  cipher.setAAD(Buffer.from(kid));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString('base64url'));
  return [VERSION, ...parts].join('.');
}

/** Throws when the secret or the id is not the one it was sealed with, or the text was changed. */
export function unseal(secret: string, kid: string, sealed: string, info = INFO): string {
  const [version, iv, ciphertext, tag, ...rest] = sealed.split('.');
  if (version !== VERSION || iv === undefined || ciphertext === undefined || tag === undefined) {
    throw new Error(`ticket key ${kid}: not a sealed key`);
  }
  if (rest.length > 0) throw new Error(`ticket key ${kid}: not a sealed key`);
  const decipher = createDecipheriv(
    'aes-256-gcm',
    wrappingKey(secret, kid, info),
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
