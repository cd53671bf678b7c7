// Seats this replica is trying to hold for best available, or has just held: concurrent picks
// on the same mirror skip them. Only a hint: the store's atomic hold decides who gets a seat.

/** How long a held pick stays claimed: the mirror shows it well before then. */
const KEEP_MS = 2_000;
/** Past this many claims of one event, the lapsed ones are swept. */
const SWEEP_AT = 1_024;

export interface Claim {
  /** The seats were held: claimed a little longer, until the mirror has them. */
  keep(): void;
  /** The hold failed: the seats are free for other picks at once. */
  drop(): void;
}

export class SeatClaims {
  /** eventId → seatId → until when (epoch ms; Infinity while the hold is in flight). */
  private readonly byEvent = new Map<string, Map<string, number>>();

  has(eventId: string, seatId: string): boolean {
    const claims = this.byEvent.get(eventId);
    const until = claims?.get(seatId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    claims?.delete(seatId);
    return false;
  }

  claim(eventId: string, seatIds: readonly string[]): Claim {
    let claims = this.byEvent.get(eventId);
    if (claims === undefined) {
      claims = new Map();
      this.byEvent.set(eventId, claims);
    }
    if (claims.size >= SWEEP_AT) sweep(claims);
    const mine = claims;
    for (const seatId of seatIds) mine.set(seatId, Infinity);
    const settle = (until: number | undefined) => {
      for (const seatId of seatIds) {
        if (until === undefined) mine.delete(seatId);
        else mine.set(seatId, until);
      }
      if (mine.size === 0) this.byEvent.delete(eventId);
    };
    return { keep: () => settle(Date.now() + KEEP_MS), drop: () => settle(undefined) };
  }
}

function sweep(claims: Map<string, number>): void {
  const now = Date.now();
  for (const [seatId, until] of claims) if (until <= now) claims.delete(seatId);
}
