// The one place Redis keys of the hold store are built. Every key of an event carries the
// `{ev:<id>}` hash tag, so one event lives in one Redis Cluster slot and its scripts stay atomic.

export interface EventKeys {
  /** Marker set by restore; its absence means the state was never built or was lost. */
  ready: string;
  /** The event's sequence number (last change). */
  seq: string;
  /** HASH seatId → owner sessionId. */
  holder: string;
  /** ZSET seatId → hold expiry (epoch ms). */
  exp: string;
  /** SET of SOLD seat ids. */
  sold: string;
  /** Sharded pub/sub channel the scripts publish change batches to. */
  channel: string;
  /** SET of the seat ids a session holds: a hint, always re-checked against `holder`. */
  session(sessionId: string): string;
}

export class Keys {
  constructor(private readonly prefix = '') {}

  event(eventId: string): EventKeys {
    const base = `${this.prefix}{ev:${eventId}}:`;
    return {
      ready: `${base}ready`,
      seq: `${base}seq`,
      holder: `${base}holder`,
      exp: `${base}exp`,
      sold: `${base}sold`,
      channel: `${base}changes`,
      session: (sessionId: string) => `${base}sess:${sessionId}`,
    };
  }
}
