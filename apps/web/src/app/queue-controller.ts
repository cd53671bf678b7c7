// The buyer's way through an event's waiting room: finds or makes their entry (solving the proof
// of work first when the queue asks for one), follows the line over the WebSocket's queue frames
// and, as a fallback and for what frames do not carry (admission, its end), GET polling; and
// locks the seat map's holds until the buyer is admitted. The pure view is state/queue.ts.
import { ErrorCode, type Queue } from '@ticketmain/protocol';
import { ApiError } from '@ticketmain/client';
import { solveInWorker, type ProofRun } from '../net/proof-solver';
import { describeFailure } from '../net/failure';
import { Observable } from '../state/observable';
import {
  initialQueueState,
  queueView,
  withEntry,
  withFrame,
  type QueueState,
  type QueueStep,
  type QueueView,
} from '../state/queue';
import type { EventController } from './event-controller';
import type { Services } from './services';

export interface QueueControllerOptions {
  services: Services;
  eventId: string;
  /** The queue's public settings from the event's detail; undefined: the detail did not say. */
  settings: Queue | null | undefined;
  events: EventController;
}

/** Without queue frames, the entry is asked for this often. */
const POLL_MS = 3000;
/** With frames flowing, the poll only catches what they do not carry. */
const POLL_WITH_FRAMES_MS = 15_000;
/** The buyer's number came up: the admission's end is fetched promptly. */
const TURN_POLL_MS = 1000;
/** Spreads the joins of everyone waiting for the room to open over this many ms. */
const OPENING_JITTER_MS = 2000;
/** A proof for a session that changed meanwhile (a renewed token) is solved again, this often. */
const MAX_PROOF_TRIES = 3;

export const LOCKED_MESSAGE = 'The seat map opens when it is your turn in the waiting room.';

export class QueueController {
  readonly state = new Observable<QueueState>(initialQueueState);
  private powBits: number;
  private proof: ProofRun | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private framesSeen = false;
  /** Whether the event is known to have a waiting room (the detail said so, or the server). */
  private found = false;
  private disposed = false;
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly options: QueueControllerOptions) {
    this.powBits = options.settings?.powBits ?? 0;
  }

  get eventId(): string {
    return this.options.eventId;
  }

  get settings(): Queue | null | undefined {
    return this.options.settings;
  }

  view(now: number): QueueView {
    return queueView(this.state.get(), now);
  }

  /**
   * Whether the waiting room stands between the buyer and the map now. While it is not known
   * whether the event has one (a detail without `queue`), the map stays usable: the server's
   * gate has the last word either way.
   */
  locked(now: number): boolean {
    const view = this.view(now);
    if (view.kind === 'open' || !view.locked) return false;
    return this.found || view.kind !== 'checking';
  }

  /** From here on the buyer follows the line live. */
  private queueFound(): void {
    if (this.found) return;
    this.found = true;
    this.options.events.watchQueue();
    this.applyLock();
  }

  start(): void {
    const { events, settings } = this.options;
    // A refused hold: the admission ended, or a waiting room was set up after this page loaded.
    events.onAdmissionRequired = () => {
      if (this.state.get().step === null) this.retry();
      else this.refreshSoon(0);
    };
    if (settings !== undefined && settings !== null) this.queueFound();
    this.unsubscribe.push(
      events.queueFrame.subscribe(() => {
        const frame = events.queueFrame.get();
        if (frame === null) return;
        this.framesSeen = true;
        this.update(withFrame(this.state.get(), frame));
        // The line passed the buyer's number: fetch the admission now, not at the next poll.
        if (this.view(Date.now()).kind === 'turn') this.refreshSoon(0);
      }),
    );
    this.unsubscribe.push(this.state.subscribe(() => this.applyLock()));
    this.applyLock();
    // The detail says there is no waiting room: nothing to wait for (unless a hold says else).
    if (settings === null) this.setStep(null);
    else void this.enter();
  }

  dispose(): void {
    this.disposed = true;
    this.proof?.cancel();
    if (this.timer !== null) clearTimeout(this.timer);
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.options.events.onAdmissionRequired = null;
  }

  /** "Try again" after a failure. */
  retry(): void {
    this.setStep({ step: 'checking' });
    void this.enter();
  }

  /** The buyer's entry if they have one; else they join. */
  private async enter(): Promise<void> {
    const { api } = this.options.services;
    try {
      this.gotEntry(await api.queueEntry(this.options.eventId));
    } catch (error) {
      const code = error instanceof ApiError ? error.code : null;
      if (code === ErrorCode.QueueNotJoined) return this.join(0);
      if (code === ErrorCode.QueueNotFound) return this.setStep(null);
      this.failed(error);
    }
  }

  private async join(proofTries: number): Promise<void> {
    const { api, session } = this.options.services;
    const { eventId } = this.options;
    try {
      let nonce: string | undefined;
      if (this.powBits > 0) {
        this.queueFound();
        const sessionId = await session.sessionId();
        nonce = await this.solve({ eventId, sessionId, bits: this.powBits });
      }
      if (this.disposed) return;
      this.setStep({ step: 'joining' });
      this.gotEntry(await api.joinQueue(eventId, nonce));
    } catch (error) {
      if (this.disposed) return;
      if (!(error instanceof ApiError)) return this.failed(error);
      if (error.code === ErrorCode.QueueNotFound) return this.setStep(null);
      if (error.code === ErrorCode.QueueNotOpen && error.problem?.opensAt !== undefined) {
        this.queueFound();
        const opensAt = Date.parse(error.problem.opensAt);
        this.setStep({ step: 'notOpen', opensAt });
        const wait = opensAt - this.options.services.clock.now();
        this.schedule(Math.max(0, wait) + Math.random() * OPENING_JITTER_MS, () => this.join(0));
        return;
      }
      if (error.code === ErrorCode.ProofRequired && proofTries < MAX_PROOF_TRIES) {
        this.powBits = powBitsOf(error) ?? Math.max(1, this.powBits);
        return this.join(proofTries + 1);
      }
      this.failed(error);
    }
  }

  private solve(task: { eventId: string; sessionId: string; bits: number }): Promise<string> {
    this.setStep({ step: 'solving', progress: 0 });
    this.proof = solveInWorker(task, (progress) => {
      // A tenth of a percent is finer than the bar shows: fewer renders.
      const step = this.state.get().step;
      if (step?.step === 'solving' && progress - step.progress >= 0.001) {
        this.setStep({ step: 'solving', progress });
      }
    });
    return this.proof.nonce.finally(() => (this.proof = null));
  }

  private gotEntry(entry: Parameters<typeof withEntry>[1]): void {
    if (this.disposed) return;
    this.queueFound();
    this.update(withEntry(this.state.get(), entry));
    this.schedulePoll();
  }

  /** The next GET, sooner or later depending on where the buyer is. */
  private schedulePoll(): void {
    const now = Date.now();
    const view = this.view(now);
    switch (view.kind) {
      case 'turn':
        return this.refreshSoon(TURN_POLL_MS);
      case 'admitted':
        // The admission's end (a little after, so the server agrees it is over), or a check.
        return this.refreshSoon(Math.min(view.admittedUntil - now + 250, POLL_WITH_FRAMES_MS));
      case 'prequeue':
      case 'waiting':
        return this.refreshSoon(this.framesSeen ? POLL_WITH_FRAMES_MS : POLL_MS);
      default:
        // closed and expired are final; the others are not joined yet.
        return;
    }
  }

  private refreshSoon(ms: number): void {
    this.schedule(Math.max(0, ms), () => this.refresh());
  }

  private async refresh(): Promise<void> {
    try {
      this.gotEntry(await this.options.services.api.queueEntry(this.options.eventId));
    } catch (error) {
      if (this.disposed) return;
      const code = error instanceof ApiError ? error.code : null;
      if (code === ErrorCode.QueueNotFound) return this.setStep(null);
      if (code === ErrorCode.QueueNotJoined) return this.join(0);
      // A poll that failed (offline, a restart) is tried again; the page keeps what it knows.
      this.refreshSoon(POLL_MS);
    }
  }

  private schedule(ms: number, run: () => Promise<void>): void {
    if (this.disposed) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void run();
    }, ms);
  }

  private failed(error: unknown): void {
    if (this.disposed) return;
    const { detail } = describeFailure(error);
    this.setStep({ step: 'failed', message: detail });
    // Keep trying in the background: a network blip should not leave the buyer out of line.
    this.schedule(POLL_MS * 2, () => this.enter());
  }

  private setStep(step: QueueStep | null): void {
    this.update({ ...this.state.get(), step });
  }

  private update(state: QueueState): void {
    if (!this.disposed) this.state.set(state);
  }

  private applyLock(): void {
    this.options.events.lockHolds(this.locked(Date.now()) ? LOCKED_MESSAGE : null);
  }
}

/** PROOF_REQUIRED's `powBits`; from the sentence when the server sends only that. */
function powBitsOf(error: ApiError): number | null {
  const bits = error.problem?.powBits;
  if (bits !== undefined) return bits;
  const match = /(\d+) zero bits/.exec(error.detail);
  return match?.[1] === undefined ? null : Number(match[1]);
}
