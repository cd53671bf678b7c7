// One gate's scanner, outside React: sends each scan to the server with its own nonce; when the
// network fails, checks the code offline (verify.ts) against the cached key set and revocations,
// answers provisionally, and queues the scan in local storage to upload when the server answers
// again. The nonce makes the upload safe to retry: the server answers a repeated nonce with its
// first answer, never a second admission.
import { ApiError, NetworkError, TicketmainClient } from '@ticketmain/client';
import {
  conforms,
  TicketKeySet,
  type CheckInSummary,
  type TicketKeySet as KeySet,
} from '@ticketmain/protocol';
import { Type } from '@sinclair/typebox';
import type { KeyValueStorage } from '../net/storage';
import { Observable } from '../state/observable';
import { OfflineVerifier } from './verify';

export interface Answer {
  verdict: 'admitted' | 'refused';
  /** Decided offline: the server has not confirmed it yet. */
  provisional: boolean;
  title: string;
  detail: string;
  seatId: string | null;
  /** Date.now() of the answer: tells two equal answers apart. */
  at: number;
}

export interface GateState {
  online: boolean;
  /** Scans waiting to be uploaded. */
  queued: number;
  summary: CheckInSummary | null;
  /** Whether offline checks can be made (the key set is cached). */
  offlineReady: boolean;
  /** Provisional admissions the server refused on upload, newest first. */
  conflicts: string[];
  /** The server no longer takes the token (401, 403): the gate must sign in again. */
  rejected: boolean;
}

export interface Place {
  label: string;
  section: string;
}

interface QueuedScan {
  code: string;
  nonce: string;
  seatId: string;
  scannedAt: string;
}

const QueuedScans = Type.Array(
  Type.Object({
    code: Type.String(),
    nonce: Type.String(),
    seatId: Type.String(),
    scannedAt: Type.String(),
  }),
);
const Revoked = Type.Object({ ticketIds: Type.Array(Type.String()), asOf: Type.String() });
const Seen = Type.Record(Type.String(), Type.String());

const KEYS_KEY = 'ticketmain.scan.keys';
const queueKey = (eventId: string) => `ticketmain.scan.${eventId}.queue`;
const revokedKey = (eventId: string) => `ticketmain.scan.${eventId}.revoked`;
const seenKey = (eventId: string) => `ticketmain.scan.${eventId}.seen`;

const SUMMARY_MS = 10_000;
const REVOCATIONS_MS = 30_000;
const UPLOAD_MS = 5_000;

export interface GateOptions {
  eventId: string;
  token: string;
  storage: KeyValueStorage;
  /** Row, seat and section of a seat id, when the venue is known. */
  placeOf: (seatId: string, sectionId: string | null) => Place;
  fetch?: typeof fetch;
  newNonce?: () => string;
}

export class Gate {
  readonly state: Observable<GateState>;
  private readonly api: TicketmainClient;
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private uploading = false;
  private readonly onOnline = () => void this.upload();

  constructor(private readonly options: GateOptions) {
    const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.api = new TicketmainClient({
      baseUrl: '',
      fetch: fetchImpl,
      timeoutMs: 8_000,
    }).withScannerToken(options.token);
    this.state = new Observable<GateState>({
      online: true,
      queued: this.queue().length,
      summary: null,
      offlineReady: this.keys() !== null,
      conflicts: [],
      rejected: false,
    });
  }

  /** Checks the token: resolves with the summary, rejects with the server's refusal. */
  async signIn(): Promise<void> {
    const summary = await this.api.checkInSummary(this.options.eventId);
    this.patch({ summary, online: true });
  }

  start(): void {
    void this.refreshSummary();
    void this.refreshKeys();
    void this.refreshRevocations();
    void this.upload();
    this.timers.push(
      setInterval(() => void this.refreshSummary(), SUMMARY_MS),
      setInterval(() => void this.refreshRevocations(), REVOCATIONS_MS),
      setInterval(() => void this.upload(), UPLOAD_MS),
    );
    window.addEventListener('online', this.onOnline);
  }

  dispose(): void {
    for (const timer of this.timers) clearInterval(timer);
    window.removeEventListener('online', this.onOnline);
  }

  async scan(raw: string): Promise<Answer> {
    const code = raw.trim();
    const nonce = this.options.newNonce?.() ?? crypto.randomUUID();
    try {
      const checkIn = await this.api.checkIn(this.options.eventId, code, nonce);
      this.patch({ online: true });
      this.remember(checkIn.ticketId, checkIn.checkedInAt);
      void this.refreshSummary();
      return this.admitted(checkIn.seatId, checkIn.sectionId, false);
    } catch (error) {
      if (error instanceof ApiError && error.status < 500) {
        this.patch({ online: true });
        return this.refusal(error);
      }
      // No answer, a 5xx, or a proxy's page instead of the API's: as good as offline.
      this.patch({ online: false });
      return this.offline(code, nonce);
    }
  }

  /** Sends the queued scans, oldest first; stops at the first that gets no answer. */
  async upload(): Promise<void> {
    if (this.uploading) return;
    this.uploading = true;
    try {
      for (const scan of this.queue()) {
        try {
          await this.api.checkIn(this.options.eventId, scan.code, scan.nonce);
        } catch (error) {
          if (!(error instanceof ApiError) || error.status >= 500) {
            this.patch({ online: false });
            return;
          }
          // The token was revoked meanwhile: the scans wait for the next sign-in, kept.
          if (error.status === 401 || error.status === 403) {
            this.patch({ rejected: true });
            return;
          }
          // Let in offline, refused by the server: someone else's scan was first, or the ticket
          // was cancelled. The holder is inside; the organiser should know.
          const refusal = this.refusal(error);
          const place = this.options.placeOf(scan.seatId, null).label;
          const conflict = `${place} (scanned ${timeOf(scan.scannedAt)}): ${refusal.title.toLowerCase()}`;
          this.patch({ conflicts: [conflict, ...this.state.get().conflicts].slice(0, 20) });
        }
        this.setQueue(this.queue().filter((queued) => queued.nonce !== scan.nonce));
        this.patch({ online: true });
      }
      void this.refreshSummary();
    } finally {
      this.uploading = false;
    }
  }

  private async offline(code: string, nonce: string): Promise<Answer> {
    const keys = this.keys();
    if (keys === null) {
      return this.refused(
        'Cannot check offline',
        'No ticket keys are cached on this device yet.',
        true,
      );
    }
    const revoked = new Set(this.revoked()?.ticketIds ?? []);
    const verdict = await new OfflineVerifier(keys, this.options.eventId, revoked).verify(code);
    if (!verdict.ok) {
      if (verdict.reason === 'revoked')
        return this.refused('Cancelled ticket', 'This ticket was cancelled.', true);
      if (verdict.reason === 'unsupported') {
        return this.refused(
          'Cannot check offline',
          'This browser cannot verify ticket signatures.',
          true,
        );
      }
      return this.refused('Invalid ticket', 'This code is not a ticket for this event.', true);
    }
    const { tid, sid } = verdict.claims;
    const seen = this.seen()[tid];
    if (seen !== undefined) {
      return this.refused('Already checked in', `at ${timeOf(seen)} (on this device)`, true);
    }
    const scannedAt = new Date().toISOString();
    this.remember(tid, scannedAt);
    this.setQueue([...this.queue(), { code, nonce, seatId: sid, scannedAt }]);
    return this.admitted(sid, null, true);
  }

  private admitted(seatId: string, sectionId: string | null, provisional: boolean): Answer {
    const place = this.options.placeOf(seatId, sectionId);
    return {
      verdict: 'admitted',
      provisional,
      title: provisional ? 'Admitted (offline check)' : 'Admitted',
      detail: `${place.label} · ${place.section}`,
      seatId,
      at: Date.now(),
    };
  }

  private refusal(error: ApiError): Answer {
    if (error.code === 'ALREADY_CHECKED_IN') {
      const at = (error.problem as { checkedInAt?: unknown } | undefined)?.checkedInAt;
      return this.refused(
        'Already checked in',
        typeof at === 'string' ? `at ${timeOf(at)}` : '',
        false,
      );
    }
    if (error.code === 'TICKET_CANCELLED') {
      return this.refused('Cancelled ticket', 'This ticket was cancelled.', false);
    }
    if (error.code === 'INVALID_TICKET') {
      return this.refused('Invalid ticket', 'This code is not a ticket for this event.', false);
    }
    return this.refused('Not checked', error.detail, false);
  }

  private refused(title: string, detail: string, provisional: boolean): Answer {
    return { verdict: 'refused', provisional, title, detail, seatId: null, at: Date.now() };
  }

  private async refreshSummary(): Promise<void> {
    try {
      const summary = await this.api.checkInSummary(this.options.eventId);
      this.patch({ summary, online: true });
    } catch (error) {
      if (error instanceof NetworkError) this.patch({ online: false });
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        this.patch({ rejected: true });
      }
    }
  }

  private async refreshKeys(): Promise<void> {
    try {
      const keys = await this.api.ticketKeys();
      this.options.storage.setItem(KEYS_KEY, JSON.stringify(keys));
      this.patch({ offlineReady: true });
    } catch {
      // Offline at start: the cached set (if any) stays in use.
    }
  }

  /** Asks for the cancellations since the last answer's asOf (the first time: all of them). */
  private async refreshRevocations(): Promise<void> {
    const known = this.revoked();
    try {
      const since = known?.asOf ?? new Date(0).toISOString();
      const { ticketIds, asOf } = await this.api.revocations(this.options.eventId, since);
      const ids = [...new Set([...(known?.ticketIds ?? []), ...ticketIds])];
      this.options.storage.setItem(
        revokedKey(this.options.eventId),
        JSON.stringify({ ticketIds: ids, asOf }),
      );
    } catch {
      // Kept as it was: the next round asks again.
    }
  }

  private keys(): KeySet | null {
    const value = readJson(this.options.storage, KEYS_KEY);
    return conforms(TicketKeySet, value) ? value : null;
  }

  private revoked(): { ticketIds: string[]; asOf: string } | null {
    const value = readJson(this.options.storage, revokedKey(this.options.eventId));
    return conforms(Revoked, value) ? value : null;
  }

  private seen(): Record<string, string> {
    const value = readJson(this.options.storage, seenKey(this.options.eventId));
    return conforms(Seen, value) ? value : {};
  }

  /** Tickets this device saw admitted: an offline check refuses them a second time. */
  private remember(ticketId: string, at: string): void {
    const seen = { ...this.seen(), [ticketId]: at };
    this.options.storage.setItem(seenKey(this.options.eventId), JSON.stringify(seen));
  }

  private queue(): QueuedScan[] {
    const value = readJson(this.options.storage, queueKey(this.options.eventId));
    return conforms(QueuedScans, value) ? value : [];
  }

  private setQueue(queue: QueuedScan[]): void {
    this.options.storage.setItem(queueKey(this.options.eventId), JSON.stringify(queue));
    this.patch({ queued: queue.length });
  }

  private patch(change: Partial<GateState>): void {
    const current = this.state.get();
    const changed = (Object.keys(change) as (keyof GateState)[]).some(
      (k) => change[k] !== current[k],
    );
    if (changed) this.state.set({ ...current, ...change });
  }
}

function readJson(storage: KeyValueStorage, key: string): unknown {
  try {
    const raw = storage.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as unknown);
  } catch {
    return null;
  }
}

function timeOf(iso: string): string {
  return new Date(iso).toLocaleTimeString('en-US', {
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
  });
}
