// Seat changes of one event at a chosen pace: one-seat holds of free seats by idle sessions and
// releases of the oldest holds, so that every answered request is exactly one change of the
// event's sequence (a 201 hold is one HELD, a 204 release one AVAILABLE). The driver is the only
// one to touch the event while it runs, so it never meets a conflict unless something is wrong.
import type { SessionCreated } from '@ticketmain/client';
import type { HttpRequest } from './keepalive.js';
import { Fifo, randomInt, seededRandom } from './util.js';

interface ChangeOp {
  kind: 'hold' | 'release';
  seatId: string;
  session: number;
}

export class ChangeDriver {
  private readonly free: string[];
  private readonly held = new Fifo<ChangeOp>();
  private readonly idle: number[];
  private readonly random = seededRandom(6);
  private holdsInFlight = 0;
  private draining = false;
  /** Answered requests that changed a seat (201 holds, 204 releases). */
  changes = 0;
  /** Statuses other than 201/204, by operation and status. */
  readonly unexpected: Record<string, number> = {};

  constructor(
    private readonly eventId: string,
    seatIds: readonly string[],
    private readonly sessions: readonly SessionCreated[],
    /** Holds kept at once; beyond it, each hold is paired with a release. */
    private readonly depth: number,
  ) {
    this.free = [...seatIds];
    this.idle = sessions.map((_, i) => i);
  }

  get outstanding(): number {
    return this.held.length;
  }

  /** From now on only releases: the event is left as the driver found it. */
  drain(): void {
    this.draining = true;
  }

  next(): (HttpRequest & { op: ChangeOp }) | null {
    const full = this.held.length + this.holdsInFlight >= this.depth;
    if (this.draining || full || this.free.length === 0 || this.idle.length === 0) {
      const op = this.held.shift();
      if (op === undefined) return null;
      const release: ChangeOp = { ...op, kind: 'release' };
      const path = `/api/events/${this.eventId}/holds/${encodeURIComponent(op.seatId)}`;
      return { op: release, method: 'DELETE', path, token: this.token(op.session) };
    }
    const at = randomInt(this.random, this.free.length);
    const seatId = this.free[at] ?? '';
    this.free[at] = this.free[this.free.length - 1] ?? '';
    this.free.pop();
    const session = this.idle.pop() ?? 0;
    this.holdsInFlight++;
    const op: ChangeOp = { kind: 'hold', seatId, session };
    const path = `/api/events/${this.eventId}/holds`;
    return { op, method: 'POST', path, token: this.token(session), body: { seatIds: [seatId] } };
  }

  done(op: ChangeOp, status: number): void {
    if (op.kind === 'hold') {
      this.holdsInFlight--;
      if (status === 201) {
        this.changes++;
        this.held.push(op);
        return;
      }
    } else if (status === 204) {
      this.changes++;
    } else {
      // A release that failed leaves the seat out of the pool: never reused, never double-held.
      this.count(op, status);
      return;
    }
    if (op.kind === 'hold') this.count(op, status);
    this.free.push(op.seatId);
    this.idle.push(op.session);
  }

  private count(op: ChangeOp, status: number): void {
    const key = `${op.kind} ${status}`;
    this.unexpected[key] = (this.unexpected[key] ?? 0) + 1;
  }

  private token(session: number): string {
    return this.sessions[session]?.token ?? '';
  }
}
