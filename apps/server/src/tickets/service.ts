// Tickets after the sale: scanner tokens per event, check-in of signed codes, revocations, and
// the signing keys' public half. Check-in trusts the code's signature, then the ledger decides.
import { randomBytes } from 'node:crypto';
import type {
  CheckIn,
  CheckInSummary,
  Revocations,
  TicketClaims,
  TicketKey,
  TicketKeySet,
} from '@ticketmain/protocol';
import { errors } from '../domain/errors.js';
import { digest } from '../domain/tokens.js';
import type { Ledger, ScannedTicket } from '../ledger/types.js';
import { readTicket } from './codes.js';
import type { TicketKeyring } from './keyring.js';

const SCANNER_TOKEN_PREFIX = 'tms_';

export interface CheckInAnswer {
  checkIn: CheckIn;
  /** The same scan (its nonce) was answered before: this is that answer again. */
  replay: boolean;
}

/** Scanner tokens remembered per replica: a few gates per event, many events. */
const KNOWN_SCANNERS = 10_000;
/**
 * Codes whose signature verified, remembered per replica: a ticket is often scanned again soon
 * (a second gate, a tap twice, a retry), and the Ed25519 verify is most of a scan's CPU. Only
 * codes that verified get in (nobody else can make one), so junk fills nothing; ~0.5 kB each.
 */
const VERIFIED_CODES = 10_000;
/** How long a found token is believed without asking the ledger again. */
const SCANNER_CACHE_MS = 60_000;

export interface TicketServiceOptions {
  /** How long a scanner token found in the ledger is remembered (a row deleted meanwhile). */
  scannerCacheMs?: number;
  now?: () => number;
}

interface KnownScanner {
  eventId: string;
  /** When it was found in the ledger (now()). */
  foundAt: number;
}

export class TicketService {
  /** Token hash → event, for tokens found in the ledger (scannerEvent). */
  private readonly scanners = new Map<string, KnownScanner>();
  /** Code → its claims, for codes that verified (readCode). */
  private readonly verified = new Map<string, TicketClaims>();
  private readonly scannerCacheMs: number;
  private readonly now: () => number;

  constructor(
    private readonly ledger: Ledger,
    private readonly keyring: TicketKeyring,
    options: TicketServiceOptions = {},
  ) {
    this.scannerCacheMs = options.scannerCacheMs ?? SCANNER_CACHE_MS;
    this.now = options.now ?? Date.now;
  }

  keySet(): TicketKeySet {
    return this.keyring.jwks();
  }

  rotateKey(): Promise<TicketKey> {
    return this.keyring.rotate();
  }

  /** A new token for the gates of an event; only its digest is kept. */
  async createScannerToken(eventId: string): Promise<string> {
    if ((await this.ledger.getEvent(eventId)) === null) throw errors.eventNotFound(eventId);
    const token = SCANNER_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    await this.ledger.insertScannerToken(eventId, tokenHash(token));
    return token;
  }

  /**
   * The event a scanner token is for; null for anything that is not a scanner token. A found
   * token is remembered (by its hash, a bounded number of them) for scannerCacheMs: a gate
   * scanning all evening asks PostgreSQL once a minute, not once per ticket, and a token whose
   * row is deleted (the API never revokes one) is refused within that time. What is not found
   * is asked again every time, so junk tokens fill nothing.
   */
  async scannerEvent(token: string): Promise<string | null> {
    if (!token.startsWith(SCANNER_TOKEN_PREFIX)) return null;
    const hash = tokenHash(token);
    const known = this.scanners.get(hash);
    if (known !== undefined && this.now() - known.foundAt < this.scannerCacheMs) {
      return known.eventId;
    }
    const foundAt = this.now();
    const eventId = await this.ledger.scannerTokenEvent(hash);
    // Found again, it goes to the end of the insertion order: the oldest are evicted first.
    this.scanners.delete(hash);
    if (eventId !== null) {
      if (this.scanners.size >= KNOWN_SCANNERS) {
        // The oldest first: a Map iterates in insertion order.
        this.scanners.delete(this.scanners.keys().next().value as string);
      }
      this.scanners.set(hash, { eventId, foundAt });
    }
    return eventId;
  }

  async checkIn(eventId: string, code: string, nonce: string | null): Promise<CheckInAnswer> {
    const claims = await this.readCode(code);
    if (claims === null || claims.eid !== eventId) throw errors.invalidTicket();
    const { sid: seatId, tid: ticketId } = claims;
    const outcome = await this.ledger.checkIn({ eventId, seatId, ticketId, nonce });
    if (outcome.admitted)
      return { checkIn: view(outcome.ticket, outcome.ticket.checkedInAt), replay: false };
    const ticket = outcome.ticket;
    // Signed by us but gone: the event was reset.
    if (ticket === null) throw errors.invalidTicket();
    const { checkedInAt } = ticket;
    if (checkedInAt !== null && nonce !== null && ticket.checkinNonce === nonce) {
      return { checkIn: view(ticket, checkedInAt), replay: true };
    }
    if (ticket.status === 'cancelled') throw errors.ticketCancelled();
    if (checkedInAt === null) throw new Error('check-in refused a live ticket not checked in');
    throw errors.alreadyCheckedIn(checkedInAt);
  }

  /** The claims of a code that verifies (readTicket), from memory if it verified before. */
  private async readCode(code: string): Promise<TicketClaims | null> {
    const known = this.verified.get(code);
    if (known !== undefined) return known;
    const claims = await readTicket(code, (kid) => this.keyring.verificationKey(kid));
    if (claims !== null) {
      if (this.verified.size >= VERIFIED_CODES) {
        // The oldest first: a Map iterates in insertion order.
        this.verified.delete(this.verified.keys().next().value as string);
      }
      this.verified.set(code, claims);
    }
    return claims;
  }

  async revocations(eventId: string, since: Date): Promise<Revocations> {
    const { ticketIds, asOf } = await this.ledger.revocations(eventId, since);
    return { ticketIds, asOf: asOf.toISOString() };
  }

  async checkInSummary(eventId: string): Promise<CheckInSummary> {
    const summary = await this.ledger.checkInSummary(eventId);
    if (summary === null) throw errors.eventNotFound(eventId);
    return summary;
  }
}

function tokenHash(token: string): string {
  return digest(token).toString('hex');
}

function view(ticket: ScannedTicket, checkedInAt: Date): CheckIn {
  const { ticketId, seatId, sectionId } = ticket;
  return { ticketId, seatId, sectionId, checkedInAt: checkedInAt.toISOString() };
}
