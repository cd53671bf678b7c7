// How many seats a buyer may have, told before the limit is hit. No endpoint exposes the server's
// MAX_SEATS_PER_SESSION; its default is assumed until a HOLD_LIMIT refusal states the real number.

/** The server's MAX_SEATS_PER_SESSION default (apps/server/src/config.ts): the one copy here. */
export const DEFAULT_SEATS_PER_BUYER = 8;

/** The limit a HOLD_LIMIT refusal states ("…at most 8 seats of this event…"), or null. */
export function seatLimitFromDetail(detail: string): number | null {
  const match = /at most (\d+) seats?/i.exec(detail);
  const limit = match ? Number(match[1]) : NaN;
  return Number.isInteger(limit) && limit > 0 ? limit : null;
}

export function seatLimitText(limit: number): string {
  return `Up to ${limit} ${limit === 1 ? 'seat' : 'seats'} per buyer, counting those you bought.`;
}
