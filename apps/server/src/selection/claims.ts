// Seats this replica is trying to hold for best available, or has just held: concurrent picks
// on the same view skip them. Only a hint: the store's atomic hold decides who gets a seat.

/** How long a held pick stays claimed: the mirror shows it well before then. */
const KEEP_MS = 2_000;
/**
 * Past this many claims of one event, the lapsed ones are swept; then again only once twice as
 * many are left (held picks stay 2 s: under a storm most claims have not lapsed, and a sweep at
 * each claim would read them all every time).
 */
const SWEEP_AT = 1_024;

export interface Claim {
  /** The seats were held: claimed a little longer, until the mirror has them. */
  keep(): void;
  /** The hold failed: the seats are free for other picks at once. */
  drop(): void;
}

interface Entry {
  /** Epoch ms; Infinity while the hold is in flight. */
  until: number;
  /** Resolves when the hold in flight has its answer. */
  settled: Promise<void>;
}

const SETTLED = Promise.resolve();

export class SeatClaims {
  private readonly byEvent = new Map<string, Map<string, Entry>>();
  /** Per event, the claim count at which the next sweep runs. */
  private readonly sweepAt = new Map<string, number>();

  has(eventId: string, seatId: string): boolean {
    const claims = this.byEvent.get(eventId);
    const entry = claims?.get(seatId);
    if (entry === undefined) return false;
    if (entry.until > Date.now()) return true;
    claims?.delete(seatId);
    return false;
  }

  /** True while a hold of the seat by this replica waits for its answer. */
  inFlight(eventId: string, seatId: string): boolean {
    return this.byEvent.get(eventId)?.get(seatId)?.until === Infinity;
  }

  /** Waits until no hold of this replica is in flight for any of the seats. */
  async settled(eventId: string, seatIds: readonly string[]): Promise<void> {
    const claims = this.byEvent.get(eventId);
    await Promise.all(seatIds.map((seatId) => claims?.get(seatId)?.settled ?? SETTLED));
  }

  claim(eventId: string, seatIds: readonly string[]): Claim {
    let claims = this.byEvent.get(eventId);
    if (claims === undefined) {
      claims = new Map();
      this.byEvent.set(eventId, claims);
    }
    if (claims.size >= (this.sweepAt.get(eventId) ?? SWEEP_AT)) {
      sweep(claims);
      this.sweepAt.set(eventId, Math.max(SWEEP_AT, 2 * claims.size));
    }
    const mine = claims;
    let resolve = () => {};
    const settled = new Promise<void>((r) => (resolve = r));
    const entry: Entry = { until: Infinity, settled };
    for (const seatId of seatIds) mine.set(seatId, entry);
    const settle = (kept: boolean) => {
      resolve();
      entry.until = Date.now() + KEEP_MS;
      for (const seatId of seatIds) {
        // A later claim of the seat (after this one was given up) is not this one's to drop.
        if (!kept && mine.get(seatId) === entry) mine.delete(seatId);
      }
      if (mine.size === 0 && this.byEvent.get(eventId) === mine) {
        this.byEvent.delete(eventId);
        this.sweepAt.delete(eventId);
      }
    };
    return { keep: () => settle(true), drop: () => settle(false) };
  }
}

function sweep(claims: Map<string, Entry>): void {
  const now = Date.now();
  for (const [seatId, entry] of claims) if (entry.until <= now) claims.delete(seatId);
}
