// Sealing of secrets at rest (the ticket signing keys, the waiting room's seeds): AES-256-GCM under
// a key derived (HKDF-SHA256) from SESSION_SECRET and bound to the secret's id and purpose, so a
// copied row opens under no other id.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;

/** What is sealed: the HKDF info that separates the purposes, and its name in errors. */
export interface SealPurpose {
  info: string;
  label: string;
}

export const TICKET_KEY: SealPurpose = {
  info: 'ticketmain ticket signing key',
  label: 'ticket key',
};

function wrappingKey(secret: string, kid: string, purpose: SealPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, kid, purpose.info, 32));
}

/** `v1.<iv>.<ciphertext>.<tag>`, base64url parts. */
export function seal(
  secret: string,
  kid: string,
  plaintext: string,
  purpose: SealPurpose = TICKET_KEY,
): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey(secret, kid, purpose), iv);
  cipher.setAAD(Buffer.from(kid));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString('base64url'));
  return [VERSION, ...parts].join('.');
}

/** Throws when the secret or the id is not the one it was sealed with, or the text was changed. */
export function unseal(
  secret: string,
  kid: string,
  sealed: string,
  purpose: SealPurpose = TICKET_KEY,
): string {
  const [version, iv, ciphertext, tag, ...rest] = sealed.split('.');
  const { label } = purpose;
  if (version !== VERSION || iv === undefined || ciphertext === undefined || tag === undefined) {
    throw new Error(`${label} ${kid}: not a sealed key`);
  }
  if (rest.length > 0) throw new Error(`${label} ${kid}: not a sealed key`);
  const decipher = createDecipheriv(
    'aes-256-gcm',
    wrappingKey(secret, kid, purpose),
    Buffer.from(iv, 'base64url'),
  );
  decipher.setAAD(Buffer.from(kid));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    const plain = [decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()];
    return Buffer.concat(plain).toString('utf8');
  } catch (cause) {
    throw new Error(
      `${label} ${kid} does not open with this SESSION_SECRET (was the secret changed?)`,
      { cause },
    );
  }
}
