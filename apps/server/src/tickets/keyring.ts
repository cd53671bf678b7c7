// The ticket signing keys: Ed25519 pairs kept in the ledger, the private half sealed with
// SESSION_SECRET, so every replica signs with the same key and a restart changes nothing. The
// newest generation signs new orders; older ones stay to sign (and verify) the orders they signed.
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose';
import { KeyObject } from 'node:crypto';
import { conforms, TicketKey, type TicketKeySet } from '@ticketmain/protocol';
import type { StoredTicketKey, TicketLedger } from '../ledger/types.js';
import { seal, unseal } from './sealing.js';

export interface TicketKeyPair {
  generation: number;
  kid: string;
  publicJwk: TicketKey;
  privateKey: CryptoKey;
  /** The private key as node:crypto signs with it (codes.ts). */
  signingKey: KeyObject;
  /** The public key as node:crypto verifies with it (codes.ts), imported once. */
  publicKey: KeyObject;
}

export interface KeyringOptions {
  /** How old the key list may get before it is read again (a rotation on another replica). */
  refreshMs?: number;
  /** Reads caused by codes naming an unknown key id are at most this often: junk costs nothing. */
  unknownKidReloadMs?: number;
  now?: () => number;
}

export class TicketKeyring {
  private keys: TicketKeyPair[] = [];
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  private readonly refreshMs: number;
  private readonly unknownKidReloadMs: number;
  private readonly now: () => number;

  constructor(
    private readonly ledger: TicketLedger,
    private readonly secret: string,
    options: KeyringOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? 60_000;
    this.unknownKidReloadMs = options.unknownKidReloadMs ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  /** Loads the keys, creating the first one if there is none (replicas racing agree on one). */
  async start(): Promise<void> {
    await this.reload();
    if (this.keys.length === 0) await this.addGeneration(1);
  }

  /** A new key signs the orders from now on; the old ones stay listed. Returns the new key. */
  async rotate(): Promise<TicketKey> {
    await this.reload();
    await this.addGeneration(this.newest().generation + 1);
    return this.newest().publicJwk;
  }

  /** The key that signs new orders: the newest known here (a rotation elsewhere within refreshMs). */
  current(): TicketKeyPair {
    if (this.now() - this.loadedAt > this.refreshMs) void this.reload().catch(() => undefined);
    return this.newest();
  }

  /** The key that signed an order (null: the first key); read again if made on another replica. */
  async signingKey(kid: string | null): Promise<TicketKeyPair> {
    const known = this.find(kid);
    if (known !== undefined) return known;
    await this.reload();
    const found = this.find(kid);
    if (found === undefined) throw new Error(`ticket key ${String(kid)} is not in the ledger`);
    return found;
  }

  /** The public key of a code's `kid`, or undefined for a key this ledger never had. */
  async verificationKey(kid: string): Promise<KeyObject | undefined> {
    const known = this.find(kid);
    if (known !== undefined || this.now() - this.loadedAt < this.unknownKidReloadMs) {
      return known?.publicKey;
    }
    await this.reload();
    return this.find(kid)?.publicKey;
  }

  /** Every key, oldest first: every key that signed a ticket stays listed. */
  jwks(): TicketKeySet {
    this.current();
    return { keys: this.keys.map((key) => key.publicJwk) };
  }

  private find(kid: string | null): TicketKeyPair | undefined {
    return kid === null ? this.keys[0] : this.keys.find((key) => key.kid === kid);
  }

  private newest(): TicketKeyPair {
    const newest = this.keys.at(-1);
    if (newest === undefined) throw new Error('ticket keys: start() first');
    return newest;
  }

  /** Whoever wins the insert, everybody reads the winner back. */
  private async addGeneration(generation: number): Promise<void> {
    await this.ledger.insertTicketKey(await newKey(generation, this.secret));
    await this.reload();
  }

  /** One read at a time; callers arriving meanwhile share it. */
  private reload(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const stored = await this.ledger.ticketKeys();
    this.keys = await Promise.all(stored.map((key) => this.open(key)));
    this.loadedAt = this.now();
  }

  private async open(stored: StoredTicketKey): Promise<TicketKeyPair> {
    const { generation, kid } = stored;
    if (!conforms(TicketKey, stored.publicJwk)) throw new Error(`ticket key ${kid}: bad JWK`);
    const privateJwk = JSON.parse(unseal(this.secret, kid, stored.sealedPrivateKey)) as JWK;
    const privateKey = await importKey(privateJwk);
    return {
      generation,
      kid,
      publicJwk: stored.publicJwk,
      privateKey,
      signingKey: KeyObject.from(privateKey),
      publicKey: KeyObject.from(await importKey(stored.publicJwk)),
    };
  }
}

async function importKey(jwk: JWK): Promise<CryptoKey> {
  const key = await importJWK(jwk, 'EdDSA');
  if (key instanceof Uint8Array) throw new Error('ticket key: not an asymmetric key');
  return key;
}

async function newKey(generation: number, secret: string): Promise<StoredTicketKey> {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const { kty, crv, x } = await exportJWK(pair.publicKey);
  const kid = await calculateJwkThumbprint({ kty, crv, x });
  const privateJwk = await exportJWK(pair.privateKey);
  const publicJwk = { kty, crv, x, kid, alg: 'EdDSA', use: 'sig' };
  return {
    generation,
    kid,
    publicJwk,
    sealedPrivateKey: seal(secret, kid, JSON.stringify(privateJwk)),
  };
}
